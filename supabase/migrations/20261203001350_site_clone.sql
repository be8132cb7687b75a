-- Sites (issue 9): a new site opened by cloning another's configuration in one transaction.
--
-- Decisions:
-- - Only the configuration is copied, part by part as the caller chooses: 'catalogue' (the
--   site's services and the prices in force today, client prices included), 'templates' (the
--   texts of its document templates), 'teams' (names, capacities, the zone kinds they work in;
--   nobody in them), 'yard' (zones and bays moved to the new site's position, no vehicle),
--   'notifications' (the site's own settings: sites.settings, minus the yard's background
--   picture, which shows the source's ground) and 'lead_rules' (the source's own assignment
--   rules, and a web form of its own with a new key if the source had one). People's
--   notification preferences stay theirs, and nothing operational (memberships, vehicles,
--   orders, tasks, leads, customers) ever moves: the new site gets its own users.
-- - security definer, because sites are created by admins only (policy) while directors open
--   sites too; the caller's role is checked here, explicitly, against the source's
--   organisation.
-- - The trail: one audit row for the new site naming its source and the parts copied (sites
--   have no audit trigger), and the same words as the reason of the rows the triggers record
--   (prices, templates).
-- Sections: helpers → functions → grants.

-- ─── helpers ─────────────────────────────────────────────────────────────────────────────────
-- A GeoJSON Polygon moved from one site position to another, keeping its distances in metres
-- (a degree of longitude shrinks with the cosine of the latitude).
create function private.move_polygon(
  geometry jsonb, from_lat double precision, from_lon double precision, to_lat double precision, to_lon double precision
) returns jsonb
language sql immutable set search_path = ''
as $$
  select jsonb_build_object('type', geometry ->> 'type', 'coordinates', (
    select coalesce(jsonb_agg(ring.moved order by r.n), '[]'::jsonb)
    from jsonb_array_elements(geometry -> 'coordinates') with ordinality as r (points, n)
    cross join lateral (
      select jsonb_agg(jsonb_build_array(
               round((to_lon + ((p.xy ->> 0)::double precision - from_lon) * cos(radians(from_lat)) / cos(radians(to_lat)))::numeric, 7),
               round((to_lat + ((p.xy ->> 1)::double precision - from_lat))::numeric, 7)
             ) order by p.i) as moved
      from jsonb_array_elements(r.points) with ordinality as p (xy, i)
    ) ring
  ))
$$;

revoke all on function private.move_polygon(jsonb, double precision, double precision, double precision, double precision) from public;

-- ─── functions ───────────────────────────────────────────────────────────────────────────────
create function public.clone_site(
  p_source_site_id uuid,
  p_code text,
  p_name text,
  p_kind public.site_kind,
  p_legal_name text,
  p_siret text,
  p_vat_number text,
  p_share_capital_cents bigint,
  p_address_line text,
  p_postcode text,
  p_city text,
  p_latitude double precision,
  p_longitude double precision,
  p_timezone text,
  p_capacity integer,
  p_parts text[]
) returns uuid
language plpgsql security definer set search_path = ''
as $$
declare
  source public.sites;
  new_site public.sites;
  parts text[] := array(select distinct unnest(coalesce(p_parts, '{}')) order by 1);
  why text;
  previous_reason text := current_setting('relais.reason', true);
begin
  select * into source from public.sites s where s.id = p_source_site_id;
  if source.id is null or not exists (
    select 1 from public.memberships m
    where m.user_id = (select auth.uid()) and m.organisation_id = source.organisation_id
      and m.site_id is null and m.role in ('director', 'admin')
  ) then
    raise exception 'only a director or an admin of the organisation opens a site' using errcode = '42501';
  end if;
  if not parts <@ array['catalogue', 'templates', 'teams', 'yard', 'notifications', 'lead_rules'] then
    raise exception 'unknown part to copy: %', array_to_string(parts, ', ') using errcode = '22023';
  end if;

  why := 'Cloned from ' || source.code || ': ' || coalesce(nullif(array_to_string(parts, ', '), ''), 'nothing');
  perform set_config('relais.reason', why, true);

  insert into public.sites (organisation_id, code, name, kind, legal_name, siret, vat_number, share_capital_cents,
                            address_line, postcode, city, latitude, longitude, timezone, capacity, settings)
  values (source.organisation_id, p_code, p_name, p_kind, p_legal_name, p_siret, p_vat_number, coalesce(p_share_capital_cents, 0),
          p_address_line, p_postcode, p_city, p_latitude, p_longitude, coalesce(p_timezone, source.timezone), coalesce(p_capacity, 0),
          case when 'notifications' = any (parts) then source.settings - 'yard_background_url' else '{}'::jsonb end)
  returning * into new_site;

  insert into public.audit_log (site_id, table_name, row_id, op, actor_id, reason, old_row, new_row)
  values (new_site.id, 'sites', new_site.id, 'insert', (select auth.uid()), why, null,
          to_jsonb(new_site) || jsonb_build_object('cloned_from', source.id, 'cloned_from_code', source.code, 'parts', to_jsonb(parts)));

  if 'catalogue' = any (parts) then
    with copied as (
      insert into public.services (site_id, code, name_fr, name_en, zone_kind, default_minutes, active, vat_rate_bp)
      select new_site.id, sv.code, sv.name_fr, sv.name_en, sv.zone_kind, sv.default_minutes, sv.active, sv.vat_rate_bp
      from public.services sv where sv.site_id = source.id
      returning id, code
    )
    insert into public.prices (site_id, service_id, client_account_id, unit_price_cents, valid_from, valid_to)
    select new_site.id, c.id, p.client_account_id, p.unit_price_cents, current_date, p.valid_to
    from public.prices p
    join public.services sv on sv.id = p.service_id
    join copied c on c.code = sv.code
    where p.site_id = source.id and p.valid_from <= current_date and (p.valid_to is null or p.valid_to >= current_date);
  end if;

  if 'templates' = any (parts) then
    insert into public.document_templates (site_id, kind, locale, texts, updated_by)
    select new_site.id, t.kind, t.locale, t.texts, (select auth.uid())
    from public.document_templates t where t.site_id = source.id;
  end if;

  if 'teams' = any (parts) then
    insert into public.teams (site_id, name, colour, daily_capacity_minutes, zone_kinds)
    select new_site.id, t.name, t.colour, t.daily_capacity_minutes, t.zone_kinds
    from public.teams t where t.site_id = source.id;
  end if;

  if 'yard' = any (parts) then
    with zones as (
      insert into public.yard_zones (site_id, code, name, kind, geometry)
      select new_site.id, z.code, z.name, z.kind,
             private.move_polygon(z.geometry, source.latitude, source.longitude, new_site.latitude, new_site.longitude)
      from public.yard_zones z where z.site_id = source.id
      returning id, code
    )
    insert into public.bays (site_id, zone_id, number, geometry, rank)
    select new_site.id, nz.id, b.number,
           private.move_polygon(b.geometry, source.latitude, source.longitude, new_site.latitude, new_site.longitude), b.rank
    from public.bays b
    join public.yard_zones z on z.id = b.zone_id
    join zones nz on nz.code = z.code
    where b.site_id = source.id;
  end if;

  if 'lead_rules' = any (parts) then
    -- A fallback to the source itself becomes a fallback to the new site.
    insert into public.lead_rules (organisation_id, site_id, position, kind, params, enabled)
    select r.organisation_id, new_site.id, r.position, r.kind,
           case when r.params ->> 'site_id' = source.id::text
                then jsonb_set(r.params, '{site_id}', to_jsonb(new_site.id::text)) else r.params end,
           r.enabled
    from public.lead_rules r where r.site_id = source.id;
    insert into public.lead_forms (organisation_id, site_id, title, enabled)
    select f.organisation_id, new_site.id, left(replace(f.title, source.name, new_site.name), 200), f.enabled
    from public.lead_forms f where f.site_id = source.id
    order by f.created_at limit 1;
  end if;

  perform set_config('relais.reason', coalesce(previous_reason, ''), true);
  return new_site.id;
end
$$;

-- ─── grants ──────────────────────────────────────────────────────────────────────────────────
revoke all on function public.clone_site(uuid, text, text, public.site_kind, text, text, text, bigint, text, text, text,
  double precision, double precision, text, integer, text[]) from public, anon;
grant execute on function public.clone_site(uuid, text, text, public.site_kind, text, text, text, bigint, text, text, text,
  double precision, double precision, text, integer, text[]) to authenticated;
