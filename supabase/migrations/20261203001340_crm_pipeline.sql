-- Sales pipeline, quotes and orders: quote numbers, the transfer a quote brings its vehicle
-- with, and the open pipeline value for the KPI screens and walls.
--
-- Decisions:
-- - Quotes are numbered DV-<year>-<seq> per organisation, in the order they are created; the
--   demo data's numbers (DV-2026-17) count in the series, so the next one follows the largest.
-- - A sales person requests transfers from their own site only ("sending staff request
--   transfers"). A quote for a vehicle of another site may still bring it: whoever works the
--   quote's selling site may request the transfer of that quote's vehicle to that site, and
--   nothing else (no client, no address, no driver). Approval stays as the organisation's rule
--   says (the receiving site's manager by default).
-- - The open pipeline is the value of the leads in stages new..order, at the moment of
--   reading; money, so a KPI viewer reads it only where private.kpi_money_site_ids() says.
-- Sections: helpers → policies → KPI.

-- ─── helpers ─────────────────────────────────────────────────────────────────────────────────
-- The organisation's next quote number for the year. The advisory lock serialises two sellers
-- quoting at once; the unique (organisation_id, number) would refuse a duplicate anyway.
create function private.next_quote_number(for_org uuid, for_year integer) returns text
language plpgsql security definer set search_path = ''
as $$
declare
  n integer;
begin
  if coalesce((select auth.role()), '') = 'authenticated'
     and (for_org is distinct from (select private.organisation_id()) or not (select private.works_crm())) then
    raise exception 'only the organisation''s sellers number its quotes' using errcode = '42501';
  end if;
  perform pg_advisory_xact_lock(hashtext('quote_number'), hashtext(for_org::text || '/' || for_year));
  select coalesce(max(substring(q.number from '^DV-[0-9]{4}-([0-9]{1,9})$')::integer), 0) + 1 into n
  from public.quotes q
  where q.organisation_id = for_org and q.number like 'DV-' || for_year || '-%';
  return 'DV-' || for_year || '-' || lpad(n::text, 4, '0');
end
$$;

-- Is there a live quote of `site` for `vehicle` (draft, sent or accepted)?
create function private.quoted_at(vehicle uuid, site uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (select 1 from public.quotes q
                 where q.vehicle_id = vehicle and q.selling_site_id = site and q.status <> 'declined')
$$;

revoke all on function private.next_quote_number(uuid, integer), private.quoted_at(uuid, uuid) from public;
grant execute on function private.next_quote_number(uuid, integer), private.quoted_at(uuid, uuid) to authenticated, service_role;

-- ─── policies ────────────────────────────────────────────────────────────────────────────────
create policy "sellers bring a quoted vehicle to their site" on public.transfers
  for insert to authenticated
  with check (
    organisation_id = (select private.organisation_id())
    and to_site_id in (select private.crm_site_ids())
    and private.vehicle_at(vehicle_id, from_site_id)
    and private.quoted_at(vehicle_id, to_site_id)
    and client_account_id is null and delivery_address is null and driver_id is null
  );

-- ─── KPI ─────────────────────────────────────────────────────────────────────────────────────
-- pipeline_value_cents: the value and number of leads in stages new..order, per site the
-- caller reads money KPIs of (among `requested`), and once over all of them (site_id null).
-- Security definer: a wall device reads no leads, only this sum.
create function private.kpi_pipeline(requested uuid[])
returns table (site_id uuid, open_leads integer, value_cents bigint)
language sql stable security definer set search_path = ''
as $$
  select l.site_id, count(*)::integer, coalesce(sum(l.value_cents), 0)::bigint
  from public.leads l
  where l.site_id = any (requested)
    and l.site_id in (select private.kpi_money_site_ids())
    and l.stage in ('new', 'contacted', 'test_drive', 'quote', 'order')
  group by grouping sets ((l.site_id), ())
$$;
revoke all on function private.kpi_pipeline(uuid[]) from public;
grant execute on function private.kpi_pipeline(uuid[]) to authenticated, service_role;
