-- Stock, continued: vehicles imported per site from a CSV file as a job whose progress is
-- pushed live; group stock changes reaching the sales people who read them; and the purchase
-- price kept in the database from anyone who may not read it, whatever they select.
-- Sections: tables → indexes → enable RLS → grants → helpers → policies → change capture.

-- ─── tables ─────────────────────────────────────────────────────────────────────────────────
-- One import of a CSV file into a site's stock. Rows are validated before the job starts
-- (`errors` holds the refused ones, with their row number, field and message in FR and EN);
-- the valid ones (total_rows) are written in batches as the person who imported, counting
-- as they go.
create table public.stock_imports (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  site_id uuid not null references public.sites (id) on delete cascade,
  created_by uuid not null references public.profiles (id) default auth.uid(),
  file_name text not null check (length(file_name) between 1 and 200),
  status text not null default 'running' check (status in ('running', 'done', 'failed')),
  total_rows integer not null check (total_rows >= 0),
  processed_rows integer not null default 0 check (processed_rows >= 0),
  created_count integer not null default 0 check (created_count >= 0),
  updated_count integer not null default 0 check (updated_count >= 0),
  unchanged_count integer not null default 0 check (unchanged_count >= 0),
  errors jsonb not null default '[]' check (jsonb_typeof(errors) = 'array'),
  failure text,
  created_at timestamptz not null default now(),
  finished_at timestamptz
);

-- ─── indexes ─────────────────────────────────────────────────────────────────────────────────
create index stock_imports_site_id_idx on public.stock_imports (site_id, created_at desc);
create index stock_imports_created_by_idx on public.stock_imports (created_by);

-- ─── enable RLS ──────────────────────────────────────────────────────────────────────────────
alter table public.stock_imports enable row level security;

-- ─── grants ──────────────────────────────────────────────────────────────────────────────────
grant select, insert, update on public.stock_imports to authenticated;
grant select, insert, update, delete on public.stock_imports to service_role;

-- The purchase price is readable by no signed-in person straight from the table: column
-- grants, so no policy can forget it. Writing it is still allowed (imports, the seed's
-- callers); reading goes through public.stock_vehicles, which hands it only to those allowed.
revoke select on public.vehicles from authenticated;
grant select (id, organisation_id, site_id, bay_id, client_account_id, vin, plate, make, model, energy,
              mileage_km, colour, status, sale_price_cents, stocked_on, arrived_at, ready_at, created_at, updated_at)
  on public.vehicles to authenticated;

-- ─── helpers ─────────────────────────────────────────────────────────────────────────────────
-- Sites whose dealer stock the caller reads through the group rule rather than by working
-- there: the policy "sales read group stock when allowed" on public.vehicles, as a set. The
-- realtime server joins its people to these sites' stock rooms; the change log lets them
-- catch up on the same changes.
create function private.group_stock_site_ids() returns setof uuid
language sql stable security definer set search_path = ''
as $$
  select s.id
  from public.sites s
  join public.organisations o on o.id = s.organisation_id
  where s.organisation_id = (select private.organisation_id())
    and coalesce((o.settings ->> 'sales_see_group_stock')::boolean, false)
    and (select private.has_any_role('{sales}'))
$$;

-- Purchase prices of the dealer stock at the sites whose costs the caller may read
-- (private.stock_cost_site_ids): what the view joins, since the caller cannot read the column.
create function private.stock_costs() returns table (vehicle_id uuid, purchase_price_cents bigint)
language sql stable security definer set search_path = ''
as $$
  select v.id, v.purchase_price_cents
  from public.vehicles v
  where v.site_id in (select private.stock_cost_site_ids())
    and v.client_account_id is null
    and v.purchase_price_cents is not null
$$;

-- What an import at `target_site` finds for each of `vins` in the caller's organisation: the
-- dealer stock of that site as it stands (purchase price included: importers manage the site
-- and read its costs anyway), or only `elsewhere` when the VIN is another site's vehicle or a
-- client's, which an import must not take over. Answers nobody who may not import there.
create function private.stock_import_existing(target_site uuid, vins text[])
returns table (vin text, vehicle_id uuid, elsewhere boolean, plate text, make text, model text, energy public.energy,
               mileage_km integer, colour text, purchase_price_cents bigint, sale_price_cents bigint, stocked_on date)
language sql stable security definer set search_path = ''
as $$
  select v.vin, v.id, here.elsewhere,
         case when not here.elsewhere then v.plate end, case when not here.elsewhere then v.make end,
         case when not here.elsewhere then v.model end, case when not here.elsewhere then v.energy end,
         case when not here.elsewhere then v.mileage_km end, case when not here.elsewhere then v.colour end,
         case when not here.elsewhere then v.purchase_price_cents end, case when not here.elsewhere then v.sale_price_cents end,
         case when not here.elsewhere then v.stocked_on end
  from public.vehicles v
  cross join lateral (select v.site_id <> target_site or v.client_account_id is not null as elsewhere) here
  where v.organisation_id = (select private.organisation_id())
    and v.vin = any (vins)
    and private.has_site_role(target_site, '{site_manager,admin}')
$$;

revoke all on function private.group_stock_site_ids(), private.stock_costs(), private.stock_import_existing(uuid, text[]) from public;
grant execute on function private.group_stock_site_ids(), private.stock_costs(), private.stock_import_existing(uuid, text[])
  to authenticated, service_role;

-- The same columns as before; purchase price and margin now come from private.stock_costs().
create or replace view public.stock_vehicles with (security_invoker = true) as
select v.id, v.organisation_id, v.site_id, v.bay_id, v.vin, v.plate, v.make, v.model, v.energy,
       v.mileage_km, v.colour, v.status, v.stocked_on, v.updated_at,
       v.sale_price_cents,
       c.purchase_price_cents,
       v.sale_price_cents - c.purchase_price_cents as margin_cents,
       (current_date - coalesce(v.stocked_on, v.arrived_at::date, v.created_at::date))::int as days_in_stock
from public.vehicles v
left join private.stock_costs() c on c.vehicle_id = v.id
where v.client_account_id is null;

-- ─── policies ────────────────────────────────────────────────────────────────────────────────
create policy "site managers read their sites' imports" on public.stock_imports
  for select to authenticated
  using (private.has_site_role(site_id, '{site_manager,admin}'));
create policy "site managers start imports" on public.stock_imports
  for insert to authenticated
  with check (
    organisation_id = (select private.organisation_id())
    and created_by = (select auth.uid())
    and status = 'running'
    and private.has_site_role(site_id, '{site_manager,admin}')
  );
-- Only the person who started a job moves it on, while they still may import at its site.
create policy "importers record their progress" on public.stock_imports
  for update to authenticated
  using (created_by = (select auth.uid()) and private.has_site_role(site_id, '{site_manager,admin}'))
  with check (created_by = (select auth.uid()) and private.has_site_role(site_id, '{site_manager,admin}'));

-- Catching up: the changes of the group's dealer stock, as the stock rooms route them.
create policy "sales read group stock changes" on public.change_log
  for select to authenticated
  using (
    table_name = 'vehicles'
    and client_account_id is null
    and site_ids && array(select private.group_stock_site_ids())
  );

-- ─── change capture ──────────────────────────────────────────────────────────────────────────
-- A job's progress goes to the person who started it (the only one watching it run).
create trigger capture_change after insert or update on public.stock_imports
  for each row execute function private.capture_change('', '', 'created_by');
