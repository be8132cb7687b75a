-- Order intake (issue 3): orders taken from a CSV file that may announce new vehicles, orders
-- placed by clients from the portal, and a price list kept as versions.
--   * A client announces vehicles for its own account (status `expected`, nothing else set):
--     a rental company sends new cars to a hub before they arrive.
--   * A client reads the prices that apply to it (the general ones and its own), never another
--     client's, and the tasks it creates carry exactly those prices and durations: the portal
--     computes them, but the database is what a client with the API key talks to.
--   * A price is never rewritten: a change is a new version, the old one is closed (valid_to).
--   * A vehicle's energy may be unknown until it is inspected at the gate (CSV files from
--     rental companies seldom carry it).
-- Sections: tables → indexes → helpers → policies → triggers.

-- ─── tables ─────────────────────────────────────────────────────────────────────────────────
alter table public.vehicles alter column energy drop not null;

-- ─── indexes on policy columns ───────────────────────────────────────────────────────────────
create index prices_client_account_id_idx on public.prices (client_account_id);

-- ─── helpers ─────────────────────────────────────────────────────────────────────────────────
-- The unit price of a service at a site for a client on the site's current day, as
-- src/lib/domain/orders/pricing.ts chooses it: the client's own valid price first, else the
-- general one; among several, the latest start, then the lowest id. Null when the service is
-- inactive, of another site, or has no price that day.
create function private.list_price(site uuid, service uuid, account uuid) returns integer
language sql stable security definer set search_path = ''
as $$
  select p.unit_price_cents
  from public.prices p
  join public.services sv on sv.id = p.service_id and sv.site_id = p.site_id and sv.active
  join public.sites s on s.id = p.site_id
  where p.site_id = site and p.service_id = service
    and (p.client_account_id is null or p.client_account_id = account)
    and p.valid_from <= (now() at time zone s.timezone)::date
    and (p.valid_to is null or p.valid_to >= (now() at time zone s.timezone)::date)
  order by p.client_account_id is null, p.valid_from desc, p.id
  limit 1
$$;

-- The next order reference of a site (CMD-YYYY-NNNN, per site and year). Clients see only their
-- own orders, so the numbering reads all of the site's orders here; the transaction-scoped lock
-- makes two orders taken at once wait for each other instead of colliding.
create function private.next_order_reference(site uuid) returns text
language plpgsql volatile security definer set search_path = ''
as $$
declare
  day_year text;
  last_number integer;
begin
  select to_char((now() at time zone s.timezone)::date, 'YYYY') into day_year
  from public.sites s
  where s.id = site and s.organisation_id = (select private.organisation_id());
  if day_year is null then
    raise exception 'site not found' using errcode = '42501';
  end if;
  perform pg_advisory_xact_lock(hashtext('orders.reference:' || site::text));
  select max(substring(o.reference from '^CMD-\d{4}-(\d+)$')::int) into last_number
  from public.orders o
  where o.site_id = site and o.reference like 'CMD-' || day_year || '-%';
  return 'CMD-' || day_year || '-' || lpad((coalesce(last_number, 0) + 1)::text, 4, '0');
end
$$;

-- Granted one by one: a blanket grant on the schema would also reopen functions earlier
-- migrations keep to the service role (private.prune_change_log).
revoke all on function private.list_price(uuid, uuid, uuid), private.next_order_reference(uuid) from public;
grant execute on function private.list_price(uuid, uuid, uuid), private.next_order_reference(uuid) to authenticated, service_role;

-- ─── policies ────────────────────────────────────────────────────────────────────────────────
create policy "clients read the prices that apply to them" on public.prices
  for select to authenticated
  using (
    client_account_id in (select private.client_account_ids())
    or (client_account_id is null
        and exists (select 1 from private.client_account_ids())
        and site_id in (select s.id from public.sites s where s.organisation_id = (select private.organisation_id())))
  );

create policy "clients announce vehicles for their account" on public.vehicles
  for insert to authenticated
  with check (
    client_account_id in (select private.client_account_ids())
    and organisation_id = (select private.organisation_id())
    and site_id in (select s.id from public.sites s where s.organisation_id = (select private.organisation_id()))
    and status = 'expected' and bay_id is null and arrived_at is null and ready_at is null
    and purchase_price_cents is null and sale_price_cents is null and stocked_on is null
  );

-- Staff who take orders price them (the app prices from the list); anybody else creates a task
-- exactly as the price list and the catalogue say, not yet planned.
create policy "tasks are priced from the price list" on public.tasks
  as restrictive for insert to authenticated
  with check (
    private.has_site_role(site_id, '{csm,site_manager,admin}')
    or (price_cents = private.list_price(site_id, service_id, client_account_id)
        and estimated_minutes = (select sv.default_minutes from public.services sv where sv.id = service_id)
        and status = 'todo' and team_id is null and assignee_id is null and planned_on is null
        and started_at is null and completed_at is null)
  );

create policy "clients place open orders" on public.orders
  as restrictive for insert to authenticated
  with check (private.has_site_role(site_id, '{csm,site_manager,admin}') or status = 'open');

-- ─── triggers ────────────────────────────────────────────────────────────────────────────────
-- Tasks keep the price they were given, so history is safe either way; this keeps the price
-- list itself honest: what applied on a past day stays readable.
create function private.guard_price_update() returns trigger
language plpgsql set search_path = ''
as $$
begin
  if current_user <> 'authenticated' then
    return new;
  end if;
  if (new.site_id, new.service_id, new.client_account_id, new.unit_price_cents, new.valid_from)
     is distinct from (old.site_id, old.service_id, old.client_account_id, old.unit_price_cents, old.valid_from) then
    raise exception 'a price is never rewritten: close it and enter a new version' using errcode = '42501';
  end if;
  return new;
end
$$;
create trigger guard_price_update before update on public.prices
  for each row execute function private.guard_price_update();
