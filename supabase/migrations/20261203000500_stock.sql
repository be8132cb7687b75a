-- Stock: one view of the dealer stock (vehicles with no client owner) across the sites the
-- caller may read, with where each vehicle physically is and its days in stock.
--
-- Who sees which figure is decided here, not in the application:
-- - rows: the view is security_invoker, so the policies of public.vehicles apply as they are
--   ("site staff read vehicles at their sites", "sales read group stock when allowed" with
--   organisations.settings.sales_see_group_stock). Clients own no dealer stock: they see none.
-- - sale price and days in stock: whoever may read the row.
-- - purchase price and margin: site managers of the vehicle's site, directors and admins; sales
--   people only when organisations.settings.sales_see_margin is true. Anyone else reads null.
-- Limitation: the base table still lets a reader of a row select purchase_price_cents directly;
-- closing that needs column grants on public.vehicles (its callers use column lists already,
-- but that change is left for a later migration).

-- Sites whose dealer stock costs the caller may read (a set, evaluated once per query).
create function private.stock_cost_site_ids() returns setof uuid
language sql stable security definer set search_path = ''
as $$
  select id from private.managed_site_ids() as m (id)
  union
  select s.id
  from public.sites s
  join public.organisations o on o.id = s.organisation_id
  where s.organisation_id = (select private.organisation_id())
    and coalesce((o.settings ->> 'sales_see_margin')::boolean, false)
    and exists (select 1 from public.memberships m where m.user_id = (select auth.uid()) and m.role = 'sales')
$$;
revoke all on function private.stock_cost_site_ids() from public;
grant execute on function private.stock_cost_site_ids() to authenticated, service_role;

create view public.stock_vehicles with (security_invoker = true) as
select v.id, v.organisation_id, v.site_id, v.bay_id, v.vin, v.plate, v.make, v.model, v.energy,
       v.mileage_km, v.colour, v.status, v.stocked_on, v.updated_at,
       v.sale_price_cents,
       case when v.site_id in (select private.stock_cost_site_ids()) then v.purchase_price_cents end
         as purchase_price_cents,
       case when v.site_id in (select private.stock_cost_site_ids()) then v.sale_price_cents - v.purchase_price_cents end
         as margin_cents,
       (current_date - coalesce(v.stocked_on, v.arrived_at::date, v.created_at::date))::int as days_in_stock
from public.vehicles v
where v.client_account_id is null;

revoke all on public.stock_vehicles from public, anon, authenticated;
grant select on public.stock_vehicles to authenticated, service_role;

-- Filtering the stock of a set of sites by status and entry date, over many vehicles.
create index vehicles_dealer_stock_idx on public.vehicles (site_id, status, stocked_on)
  where client_account_id is null;
