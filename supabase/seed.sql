-- Relais demo data: Groupe Relais Démo, two logistics hubs and three dealerships.
-- Runs on a local Postgres (after supabase/bootstrap/local.sql) and through `supabase db reset`.
--   * idempotent: every row has a fixed id (literal, or md5 of `relais-demo/<what>/<key>` cast
--     to uuid) and is inserted with `on conflict do nothing`, so a second run changes nothing.
--   * deterministic: variety comes from the row number n (modulo arithmetic, arrays indexed by
--     n), never random(). Dates are relative to current_date so the demo always looks current.
-- The password of every demo login is `relais-demo` (bcrypt hash below, no pgcrypto needed).
-- Comments avoid quotes and semicolons so that naive statement splitters cope with this file.
--
-- Fixed ids:
--   organisation  d0000000-0000-4000-a000-000000000001
--   sites         d0000000-0000-4000-a001-00000000000{1 HUB-LYS, 2 HUB-MRS, 3 CON-LYV, 4 CON-GRE, 5 CON-MRP}
--   clients       d0000000-0000-4000-a002-00000000000{1 Europa Location, 2 Rentix, 3 Nordia Automobiles}
--   people        d0000000-0000-4000-a003-0000000000nn (nn = row of the people list)
--   vehicles      md5 of `relais-demo/vehicle/<seq>`: seq = order*10 + position for the vehicles of
--                 the hub orders, 501..520 other hub vehicles, 1001..1170 dealer stock

begin;
-- Times below are Paris wall-clock times. The audit trail says where these rows come from.
-- JIT would spend over a second compiling these small generate_series queries.
set local timezone = 'Europe/Paris';
set local jit = off;
set local relais.reason = 'Données de démonstration (supabase/seed.sql)';

-- ─── organisation, sites, teams, client accounts ────────────────────────────────────────────
insert into public.organisations (id, name, settings)
values ('d0000000-0000-4000-a000-000000000001', 'Groupe Relais Démo', '{"sales_see_group_stock": true}')
on conflict do nothing;

insert into public.sites (id, organisation_id, code, name, kind, legal_name, siret, vat_number, share_capital_cents,
                          address_line, postcode, city, latitude, longitude, capacity, timezone)
select s.id::uuid, 'd0000000-0000-4000-a000-000000000001', s.code, s.name, s.kind::public.site_kind, s.legal_name,
       s.siret, s.vat, s.capital_eur * 100, s.address, s.postcode, s.city, s.lat, s.lon, s.capacity, 'Europe/Paris'
from (values
  ('d0000000-0000-4000-a001-000000000001', 'HUB-LYS', 'Hub Lyon Saint-Exupéry', 'hub', 'Relais Logistique Lyon SAS',
   '85234917400015', 'FR76852349174', 500000, 'Zone de fret Nord, 12 rue des Hangars', '69124', 'Colombier-Saugnieu', 45.7215, 5.0805, 450),
  ('d0000000-0000-4000-a001-000000000002', 'HUB-MRS', 'Hub Marseille Vitrolles', 'hub', 'Relais Logistique Méditerranée SAS',
   '85347122500013', 'FR38853471225', 300000, 'ZI Les Estroublans, 15 avenue de Rome', '13127', 'Vitrolles', 43.4440, 5.2475, 320),
  ('d0000000-0000-4000-a001-000000000003', 'CON-LYV', 'Relais Auto Lyon Vaise', 'dealership', 'Relais Automobiles Lyon SAS',
   '79812640500017', 'FR90798126405', 150000, '41 quai Paul Sédaillian', '69009', 'Lyon', 45.7755, 4.8062, 90),
  ('d0000000-0000-4000-a001-000000000004', 'CON-GRE', 'Relais Auto Grenoble', 'dealership', 'Relais Automobiles Dauphiné SARL',
   '81237458500014', 'FR28812374585', 80000, '88 cours de la Libération et du Général de Gaulle', '38100', 'Grenoble', 45.1697, 5.7131, 70),
  ('d0000000-0000-4000-a001-000000000005', 'CON-MRP', 'Relais Auto Marseille Prado', 'dealership', 'Relais Automobiles Provence SAS',
   '83094571300014', 'FR07830945713', 120000, '290 avenue du Prado', '13008', 'Marseille', 43.2719, 5.3888, 80)
) as s (id, code, name, kind, legal_name, siret, vat, capital_eur, address, postcode, city, lat, lon, capacity)
on conflict do nothing;

-- Team ids: md5 of `relais-demo/team/<site code>/<name>`.
insert into public.teams (id, site_id, name, colour, daily_capacity_minutes)
select md5('relais-demo/team/' || s.code || '/' || t.name)::uuid, s.id, t.name, t.colour, t.minutes
from public.sites s
join (values
  ('hub', 'Lavage', '#0ea5e9', 600),
  ('hub', 'Préparation', '#22c55e', 480),
  ('hub', 'Carrosserie', '#f97316', 720),
  ('hub', 'Mise en énergie', '#eab308', 480),
  ('dealership', 'Atelier', '#6366f1', 960),
  ('dealership', 'Préparation', '#22c55e', 480)
) as t (site_kind, name, colour, minutes) on t.site_kind = s.kind::text
where s.organisation_id = 'd0000000-0000-4000-a000-000000000001'
on conflict do nothing;

-- Which services each team performs (the planning board's suggestion places cards accordingly).
update public.teams t
set zone_kinds = case t.name
    when 'Lavage' then '{wash}'::public.zone_kind[]
    when 'Carrosserie' then '{bodywork}'::public.zone_kind[]
    when 'Mise en énergie' then '{parking}'::public.zone_kind[]
    when 'Atelier' then '{workshop,bodywork}'::public.zone_kind[]
    else '{reception,workshop,ready}'::public.zone_kind[] end
from public.sites s
where s.id = t.site_id and s.organisation_id = 'd0000000-0000-4000-a000-000000000001' and t.zone_kinds is null;

insert into public.client_accounts (id, organisation_id, name, kind, colour, billing_email) values
  ('d0000000-0000-4000-a002-000000000001', 'd0000000-0000-4000-a000-000000000001', 'Europa Location', 'rental', '#2563eb', 'facturation@europa-location.example'),
  ('d0000000-0000-4000-a002-000000000002', 'd0000000-0000-4000-a000-000000000001', 'Rentix', 'rental', '#db2777', 'comptabilite@rentix.example'),
  ('d0000000-0000-4000-a002-000000000003', 'd0000000-0000-4000-a000-000000000001', 'Nordia Automobiles', 'manufacturer', '#0d9488', 'logistique@nordia-automobiles.example')
on conflict do nothing;

-- ─── people: auth users, identities, profiles ───────────────────────────────────────────────
-- Rows 1-10 are the documented demo logins (one per role), 11-19 are extra staff.
with people (n, email, full_name, phone, team_site, team_name, home_site) as (values
  (1,  'admin@relais.demo',             'Alice Martin',      '+33 6 12 40 18 01', null, null, 'HUB-LYS'),
  (2,  'directeur@relais.demo',         'Bernard Rousseau',  '+33 6 12 40 18 02', null, null, 'HUB-LYS'),
  (3,  'responsable@relais.demo',       'Claire Dubois',     '+33 6 12 40 18 03', null, null, 'HUB-LYS'),
  (4,  'chef@relais.demo',              'David Lefèvre',     '+33 6 12 40 18 04', 'HUB-LYS', 'Préparation', 'HUB-LYS'),
  (5,  'operateur@relais.demo',         'Emma Moreau',       '+33 6 12 40 18 05', 'HUB-LYS', 'Préparation', 'HUB-LYS'),
  (6,  'csm@relais.demo',               'François Petit',    '+33 6 12 40 18 06', null, null, 'HUB-LYS'),
  (7,  'vendeur@relais.demo',           'Gaëlle Bernard',    '+33 6 12 40 18 07', null, null, 'CON-LYV'),
  (8,  'chauffeur@relais.demo',         'Hugo Girard',       '+33 6 12 40 18 08', null, null, 'HUB-LYS'),
  (9,  'client@relais.demo',            'Inès Laurent',      '+33 6 71 22 90 14', null, null, null),
  (10, 'client2@relais.demo',           'Julien Mercier',    '+33 6 71 22 90 27', null, null, null),
  (11, 'karim.benali@relais.demo',      'Karim Benali',      '+33 6 12 40 18 11', 'HUB-MRS', 'Lavage', 'HUB-MRS'),
  (12, 'lea.fontaine@relais.demo',      'Léa Fontaine',      '+33 6 12 40 18 12', null, null, 'HUB-MRS'),
  (13, 'marc.garnier@relais.demo',      'Marc Garnier',      '+33 6 12 40 18 13', null, null, 'CON-LYV'),
  (14, 'nathalie.roux@relais.demo',     'Nathalie Roux',     '+33 6 12 40 18 14', null, null, 'CON-GRE'),
  (15, 'olivier.chevalier@relais.demo', 'Olivier Chevalier', '+33 6 12 40 18 15', null, null, 'CON-MRP'),
  (16, 'pauline.lambert@relais.demo',   'Pauline Lambert',   '+33 6 12 40 18 16', null, null, 'CON-MRP'),
  (17, 'quentin.faure@relais.demo',     'Quentin Faure',     '+33 6 12 40 18 17', 'HUB-LYS', 'Lavage', 'HUB-LYS'),
  (18, 'thomas.mercier@relais.demo',    'Thomas Mercier',    '+33 6 12 40 18 18', null, null, 'CON-LYV'),
  (19, 'ines.morel@relais.demo',        'Inès Morel',        '+33 6 12 40 18 19', null, null, 'CON-GRE')
),
person as (
  select p.*, ('d0000000-0000-4000-a003-' || lpad(p.n::text, 12, '0'))::uuid as id from people p
),
new_users as (
  insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
                          raw_app_meta_data, raw_user_meta_data, created_at, updated_at,
                          confirmation_token, recovery_token, email_change, email_change_token_new)
  select '00000000-0000-0000-0000-000000000000', id, 'authenticated', 'authenticated', email,
         '$2b$10$DrlvUrak54R3/XfrEF9hKemufqvRmqGXchN9TdJOnOdKJ./JaiOre', now(),
         '{"provider":"email","providers":["email"]}', '{}', now(), now(), '', '', '', ''
  from person
  on conflict do nothing
),
new_identities as (
  insert into auth.identities (id, provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
  select md5('relais-demo/identity/' || n)::uuid, id::text, id,
         jsonb_build_object('sub', id::text, 'email', email, 'email_verified', true), 'email', now(), now(), now()
  from person
  on conflict do nothing
)
insert into public.profiles (id, organisation_id, full_name, email, phone, locale, team_id, last_site_id)
select p.id, 'd0000000-0000-4000-a000-000000000001', p.full_name, p.email, p.phone, 'fr',
       md5('relais-demo/team/' || p.team_site || '/' || p.team_name)::uuid, s.id
from person p
left join public.sites s on s.code = p.home_site and s.organisation_id = 'd0000000-0000-4000-a000-000000000001'
on conflict do nothing;

-- Roles: site_id null for organisation-wide roles (director, admin) only.
insert into public.memberships (id, organisation_id, user_id, site_id, role)
select md5('relais-demo/membership/' || m.n || '/' || coalesce(m.site_code, 'org') || '/' || m.role)::uuid,
       'd0000000-0000-4000-a000-000000000001', ('d0000000-0000-4000-a003-' || lpad(m.n::text, 12, '0'))::uuid,
       s.id, m.role::public.app_role
from (values
  (1, null, 'admin'), (2, null, 'director'),
  (3, 'HUB-LYS', 'site_manager'), (4, 'HUB-LYS', 'team_lead'), (5, 'HUB-LYS', 'operator'),
  (6, 'HUB-LYS', 'csm'), (6, 'HUB-MRS', 'csm'), (7, 'CON-LYV', 'sales'), (8, 'HUB-LYS', 'driver'),
  (11, 'HUB-MRS', 'operator'), (12, 'HUB-MRS', 'site_manager'), (13, 'CON-LYV', 'site_manager'),
  (14, 'CON-GRE', 'site_manager'), (15, 'CON-MRP', 'site_manager'), (16, 'CON-MRP', 'sales'),
  (17, 'HUB-LYS', 'operator'), (18, 'CON-LYV', 'sales'), (19, 'CON-GRE', 'sales')
) as m (n, site_code, role)
left join public.sites s on s.code = m.site_code and s.organisation_id = 'd0000000-0000-4000-a000-000000000001'
on conflict do nothing;

insert into public.client_members (client_account_id, user_id) values
  ('d0000000-0000-4000-a002-000000000001', 'd0000000-0000-4000-a003-000000000009'),
  ('d0000000-0000-4000-a002-000000000002', 'd0000000-0000-4000-a003-000000000010')
on conflict do nothing;

-- ─── yard layout: a plan per site kind, numbered bays in each zone ───────────────────────────
-- Metres east (x) and north (y) of the site position: the gate is on the south side, reception
-- and the delivery lanes either side of it, the service buildings behind, the storage park at
-- the back. Bays are 2.5 m × 5 m (4 m × 7 m in wash, workshop and bodywork), in double rows back
-- to back with a 6 m aisle between pairs, inside their zone with a 2 m margin.
-- 1 m = 0.0000090° of latitude and 0.0000090 / cos(latitude)° of longitude. Bay numbers are
-- the zone letter + a counter (A01, A02..., E001 in the large parks), rank grows from the gate.
with layout (site_kind, ord, code, name, kind, letter, x0, y0, cols, nrows, bw, bd) as (values
  ('hub', 1, 'REC', 'Réception', 'reception', 'A', -80, -52, 12, 2, 2.5, 5),
  ('hub', 2, 'LIV', 'Zone de livraison', 'ready', 'F', 38, -52, 16, 2, 2.5, 5),
  ('hub', 3, 'LAV', 'Aire de lavage', 'wash', 'B', -80, -22, 6, 1, 4, 7),
  ('hub', 4, 'ATE', 'Atelier de préparation', 'workshop', 'C', -42, -22, 8, 2, 4, 7),
  ('hub', 5, 'CAR', 'Carrosserie', 'bodywork', 'D', 6, -22, 6, 1, 4, 7),
  ('hub', 6, 'PAR', 'Parc de stockage', 'parking', 'E', -80, 6, 28, 6, 2.5, 5),
  ('hub', 7, 'PAR2', 'Parc de stockage Est', 'parking', 'G', 8, 6, 26, 4, 2.5, 5),
  ('dealership', 1, 'REC', 'Réception atelier', 'reception', 'A', -40, -34, 6, 1, 2.5, 5),
  ('dealership', 2, 'LIV', 'Livraison clients', 'ready', 'E', 8, -34, 8, 1, 2.5, 5),
  ('dealership', 3, 'LAV', 'Station de lavage', 'wash', 'B', -40, -19, 2, 1, 4, 7),
  ('dealership', 4, 'ATE', 'Atelier', 'workshop', 'C', -26, -19, 6, 1, 4, 7),
  ('dealership', 5, 'CAR', 'Carrosserie', 'bodywork', 'F', 8, -19, 3, 1, 4, 7),
  ('dealership', 6, 'PAR', 'Parc VN / VO', 'parking', 'D', -40, 0, 18, 4, 2.5, 5)
),
zone as (
  select s.id as site_id, s.code as site_code, s.latitude as lat, s.longitude as lon, l.*,
         l.cols * l.bw + 4 as width, l.nrows * l.bd + (ceil(l.nrows / 2.0) - 1) * 6 + 4 as height
  from public.sites s
  join layout l on l.site_kind = s.kind::text
  where s.organisation_id = 'd0000000-0000-4000-a000-000000000001'
),
rect as (
  select 'zone' as what, z.site_id, z.site_code, z.code, z.name, z.kind, null as number, 0::bigint as rank,
         z.lat, z.lon, z.x0::numeric as x0, z.y0::numeric as y0, (z.x0 + z.width)::numeric as x1, (z.y0 + z.height)::numeric as y1
  from zone z
  union all
  select 'bay', z.site_id, z.site_code, z.code, z.name, z.kind,
         z.letter || lpad((r * z.cols + c + 1)::text, case when z.cols * z.nrows > 99 then 3 else 2 end, '0'),
         row_number() over (partition by z.site_id order by z.ord, r, c),
         z.lat, z.lon, z.x0 + 2 + c * z.bw, y.y, z.x0 + 2 + (c + 1) * z.bw, y.y + z.bd
  from zone z, generate_series(0, z.nrows - 1) r, generate_series(0, z.cols - 1) c
  cross join lateral (select (z.y0 + 2 + r * z.bd + floor(r / 2) * 6)::numeric as y) y
),
shape as (
  -- GeoJSON Polygon, exterior ring counter-clockwise and closed
  select r.*, jsonb_build_object('type', 'Polygon', 'coordinates', jsonb_build_array(jsonb_build_array(
           jsonb_build_array(g.w, g.s), jsonb_build_array(g.e, g.s), jsonb_build_array(g.e, g.n),
           jsonb_build_array(g.w, g.n), jsonb_build_array(g.w, g.s)))) as geometry
  from rect r
  cross join lateral (select
    round((r.lon + r.x0 * 0.0000090 / cos(radians(r.lat)))::numeric, 7) as w,
    round((r.lon + r.x1 * 0.0000090 / cos(radians(r.lat)))::numeric, 7) as e,
    round((r.lat + r.y0 * 0.0000090)::numeric, 7) as s,
    round((r.lat + r.y1 * 0.0000090)::numeric, 7) as n) g
),
new_zones as (
  insert into public.yard_zones (id, site_id, code, name, kind, geometry)
  select md5('relais-demo/zone/' || site_code || '/' || code)::uuid, site_id, code, name, kind::public.zone_kind, geometry
  from shape where what = 'zone'
  on conflict do nothing
)
insert into public.bays (id, site_id, zone_id, number, geometry, rank)
select md5('relais-demo/bay/' || site_code || '/' || number)::uuid, site_id,
       md5('relais-demo/zone/' || site_code || '/' || code)::uuid, number, geometry, rank
from shape where what = 'bay'
on conflict do nothing;

-- ─── service catalogue and prices ───────────────────────────────────────────────────────────
-- Current prices since 90 days ago (Marseille 5 % cheaper), last year prices on the hubs
-- (expired 91 days ago), and two negotiated client prices.
with catalogue (site_kind, code, name_fr, name_en, zone_kind, minutes, price_eur) as (values
  ('hub', 'WASH_EXT', 'Lavage extérieur', 'Exterior wash', 'wash', 20, 15),
  ('hub', 'WASH_FULL', 'Lavage complet intérieur et extérieur', 'Full interior and exterior wash', 'wash', 45, 39),
  ('hub', 'STICKER', 'Pose ou dépose de marquage', 'Livery fitting or removal', 'workshop', 30, 28),
  ('hub', 'TYRES', 'Changement de pneumatiques', 'Tyre change', 'workshop', 40, 49),
  ('hub', 'PDI', 'Préparation à la livraison (PDI)', 'Pre-delivery inspection (PDI)', 'workshop', 60, 75),
  ('hub', 'BODY_SMART', 'Smart repair carrosserie', 'Smart repair (bodywork)', 'bodywork', 90, 135),
  ('hub', 'RECON', 'Remise en état complète', 'Full reconditioning', 'bodywork', 240, 420),
  ('hub', 'CHARGE', 'Recharge batterie de traction', 'Traction battery charge', 'parking', 60, 18),
  ('hub', 'FUEL', 'Mise à niveau carburant', 'Refuelling', 'parking', 10, 9),
  ('dealership', 'PDI', 'Préparation à la livraison (PDI)', 'Pre-delivery inspection (PDI)', 'workshop', 60, 90),
  ('dealership', 'WASH_FULL', 'Lavage complet intérieur et extérieur', 'Full interior and exterior wash', 'wash', 45, 40),
  ('dealership', 'RECON', 'Remise en état VO', 'Used-car reconditioning', 'workshop', 240, 480)
),
offer as (
  select s.id as site_id, s.code as site_code, s.kind, c.*, md5('relais-demo/service/' || s.code || '/' || c.code)::uuid as service_id,
         (c.price_eur * case when s.code = 'HUB-MRS' then 95 else 100 end)::integer as price_cents
  from public.sites s
  join catalogue c on c.site_kind = s.kind::text
  where s.organisation_id = 'd0000000-0000-4000-a000-000000000001'
),
new_services as (
  insert into public.services (id, site_id, code, name_fr, name_en, zone_kind, default_minutes)
  select service_id, site_id, code, name_fr, name_en, zone_kind::public.zone_kind, minutes from offer
  on conflict do nothing
)
insert into public.prices (id, site_id, service_id, client_account_id, unit_price_cents, valid_from, valid_to)
select md5('relais-demo/price/' || o.site_code || '/' || o.code || '/' || p.label)::uuid, o.site_id, o.service_id,
       p.client_account_id::uuid, p.unit_price_cents, p.valid_from, p.valid_to
from offer o
cross join lateral (values
  ('current', null, o.price_cents, current_date - 90, null::date),
  ('previous', null, o.price_cents * 94 / 100, current_date - 455, current_date - 91)
) as p (label, client_account_id, unit_price_cents, valid_from, valid_to)
where p.label = 'current' or o.kind = 'hub'
union all
select md5('relais-demo/price/' || o.site_code || '/' || o.code || '/' || x.label)::uuid, o.site_id, o.service_id,
       x.client_account_id::uuid, x.unit_price_cents, current_date - 60, null
from offer o
join (values
  ('HUB-LYS', 'WASH_FULL', 'europa', 'd0000000-0000-4000-a002-000000000001', 3200),
  ('HUB-LYS', 'PDI', 'nordia', 'd0000000-0000-4000-a002-000000000003', 6500)
) as x (site_code, code, label, client_account_id, unit_price_cents) on x.site_code = o.site_code and x.code = o.code
on conflict do nothing;

-- ─── orders: 40 at the hubs, deadlines from 7 days ago to 10 days ahead ──────────────────────
-- Order n: HUB-LYS when n % 5 in (1, 2, 3), else HUB-MRS, client 1 + n % 3. References follow
-- creation order. Past orders are mostly closed.
insert into public.orders (id, site_id, client_account_id, reference, deadline, status, notes, created_by, created_at, updated_at)
select md5('relais-demo/order/' || o.n)::uuid, o.site_id, o.client_account_id,
       'CMD-' || to_char(current_date, 'YYYY') || '-' || lpad((row_number() over (order by o.created_at, o.n))::text, 4, '0'),
       o.deadline,
       case when o.deadline < current_date - 2 and o.n % 4 <> 0 then 'closed' else 'open' end,
       case when o.client_account_id = 'd0000000-0000-4000-a002-000000000003'
            then 'Véhicules neufs : PDI et lavage avant livraison au réseau.'
            else (array['Retours de fin de contrat : remise en état avant remise en flotte.',
                        'Préparation avant mise à disposition en agence.', null,
                        'Départs clients le lendemain matin, merci de prioriser.',
                        'Retrait des marquages de l''ancienne campagne.', null])[1 + o.n % 6] end,
       'd0000000-0000-4000-a003-000000000006', o.created_at, o.created_at
from (
  select n, d.deadline,
         (case when n % 5 in (1, 2, 3) then 'd0000000-0000-4000-a001-000000000001'
               else 'd0000000-0000-4000-a001-000000000002' end)::uuid as site_id,
         ('d0000000-0000-4000-a002-00000000000' || (1 + n % 3))::uuid as client_account_id,
         least(d.deadline - 6, current_date - 1 - n % 3) + time '08:30' + (n % 7) * interval '47 minutes' as created_at
  from generate_series(1, 40) n
  -- no deadline on a Sunday
  cross join lateral (select current_date - 7 + (n * 7) % 18 as day) r
  cross join lateral (select r.day + (extract(isodow from r.day) = 7)::integer as deadline) d
) o
on conflict do nothing;

-- ─── vehicles: ~130 client vehicles at the hubs, 170 dealer stock ───────────────────────────
-- The status of a hub vehicle follows its order: work day (deadline minus 0-2 days, never a
-- Sunday) past → ready, or delivered once the order is closed, today → in service, later →
-- on site, or still expected. Vehicles are then put in free bays of the matching zone kind
-- (one per bay) until the zone is full.
insert into public.vehicles (id, organisation_id, site_id, bay_id, client_account_id, vin, plate, make, model, energy,
                             mileage_km, colour, status, purchase_price_cents, sale_price_cents, stocked_on, arrived_at, ready_at)
with model (idx, make, model, energy, wmi, vds, new_price_eur) as (values
  (1, 'Renault', 'Clio', 'petrol', 'VF1', 'RJA00', 21500),
  (2, 'Renault', 'Mégane E-Tech', 'electric', 'VF1', 'RCB00', 38500),
  (3, 'Renault', 'Captur', 'hybrid', 'VF1', 'RJB00', 28900),
  (4, 'Peugeot', '208', 'petrol', 'VF3', 'UPHZK', 20900),
  (5, 'Peugeot', 'e-208', 'electric', 'VR3', 'UHZKX', 33900),
  (6, 'Peugeot', '3008', 'plugin_hybrid', 'VR3', 'MRHNS', 44900),
  (7, 'Peugeot', '308', 'diesel', 'VF3', 'LBYHZ', 31500),
  (8, 'Citroën', 'C3', 'petrol', 'VF7', 'SXHMZ', 17900),
  (9, 'Citroën', 'ë-C4', 'electric', 'VR7', 'BCZKX', 35900),
  (10, 'Tesla', 'Model 3', 'electric', 'LRW', '3E7EK', 40900),
  (11, 'Tesla', 'Model Y', 'electric', 'XP7', 'YGCEK', 44900),
  (12, 'Volkswagen', 'Golf', 'petrol', 'WVW', 'ZZZCD', 31900),
  (13, 'Volkswagen', 'ID.3', 'electric', 'WVW', 'ZZZE1', 39900),
  (14, 'Toyota', 'Yaris', 'hybrid', 'VNK', 'KBA3D', 23900),
  (15, 'Toyota', 'C-HR', 'hybrid', 'NMT', 'KZ3BX', 34900),
  (16, 'Dacia', 'Sandero', 'lpg', 'UU1', 'DJF1Z', 14900),
  (17, 'Dacia', 'Spring', 'electric', 'UU1', 'BBFAE', 16900),
  (18, 'BMW', 'Série 1', 'diesel', 'WBA', '7L110', 34500),
  (19, 'Renault', 'Austral', 'hybrid', 'VF1', 'RHN00', 37900),
  (20, 'Dacia', 'Duster', 'diesel', 'UU1', 'HJD4Z', 22900),
  -- Nordia Automobiles (the manufacturer client) imports these
  (21, 'Kia', 'EV6', 'electric', 'KNA', 'C3819', 47900),
  (22, 'Kia', 'Niro EV', 'electric', 'KNA', 'CC81C', 40900),
  (23, 'Kia', 'Sportage', 'hybrid', 'U5Y', 'PK81C', 38900)
),
order_vehicle as (
  -- order n carries 1 to 6 vehicles (position p)
  select n * 10 + p as seq, p, o.site_id, o.client_account_id, o.status = 'closed' as closed,
         w.day - (extract(isodow from w.day) = 7)::integer as work_day
  from generate_series(1, 40) n
  join public.orders o on o.id = md5('relais-demo/order/' || n)::uuid
  cross join generate_series(1, (array[2, 1, 4, 3, 1, 6, 2, 3])[1 + n % 8]) p
  cross join lateral (select o.deadline - p % 3 as day) w
),
fleet as (
  select ov.seq, ov.site_id, ov.client_account_id, ov.work_day,
         case when ov.closed then 'delivered'
              when ov.work_day < current_date then 'ready'
              when ov.work_day = current_date then 'in_service'
              when ov.work_day > current_date + 2 and ov.p % 2 = 0 then 'expected'
              else 'on_site' end as status
  from order_vehicle ov
  union all
  -- announced arrivals and vehicles waiting for an order
  select 500 + i,
         (case when i % 5 in (1, 2, 3) then 'd0000000-0000-4000-a001-000000000001'
               else 'd0000000-0000-4000-a001-000000000002' end)::uuid,
         ('d0000000-0000-4000-a002-00000000000' || (1 + i % 3))::uuid, null,
         case when i % 2 = 0 then 'expected' else 'on_site' end
  from generate_series(1, 20) i
),
hub_vehicle as (
  select f.seq, f.site_id, f.client_account_id, f.status, m.*, ca.kind = 'manufacturer' as brand_new,
         case when ca.kind = 'manufacturer' then 5 + (f.seq * 13) % 40 else 3000 + (f.seq * 7919) % 42000 end as mileage_km,
         null::bigint as purchase_price_cents, null::bigint as sale_price_cents, null::date as stocked_on,
         case f.status
           when 'delivered' then f.work_day - 2 + time '08:40' + (f.seq % 9) * interval '13 minutes'
           when 'ready' then f.work_day - 1 + time '10:15' + (f.seq % 9) * interval '13 minutes'
           when 'in_service' then current_date - 1 + time '14:30' + (f.seq % 9) * interval '13 minutes'
           when 'on_site' then least(current_date - f.seq % 3 + time '07:30' + (f.seq % 20) * interval '12 minutes',
                                     now() - interval '15 minutes')
         end as arrived_at,
         case when f.status in ('delivered', 'ready') then f.work_day + time '15:45' + (f.seq % 4) * interval '20 minutes' end as ready_at,
         case f.status
           when 'ready' then 'ready'
           when 'in_service' then (array['wash', 'workshop', 'bodywork'])[1 + f.seq % 3]
           when 'on_site' then case when f.seq % 4 = 0 then 'reception' else 'parking' end
         end as bay_kind
  from fleet f
  join public.client_accounts ca on ca.id = f.client_account_id
  join model m on m.idx = case when ca.kind = 'manufacturer' then 21 + f.seq % 3 else 1 + (f.seq * 7) % 20 end
),
stock as (
  -- dealer stock k: CON-LYV 1-65, CON-GRE 66-115, CON-MRP 116-170, one in five is new (0 km)
  select 1000 + k as seq, k,
         (case when k <= 65 then 'd0000000-0000-4000-a001-000000000003'
               when k <= 115 then 'd0000000-0000-4000-a001-000000000004'
               else 'd0000000-0000-4000-a001-000000000005' end)::uuid as site_id,
         case when k = 77 then 'in_transit' -- on the road to Lyon (transfer 3 below)
              when k % 10 in (7, 8) then 'reserved' when k % 10 = 9 then 'sold' else 'in_stock' end as status,
         k % 5 = 0 as brand_new,
         case when k % 5 = 0 then 5 + k % 40 else 8000 + (k * 7919) % 87000 end as mileage_km,
         current_date - 1 - (k * 37) % 120 as stocked_on
  from generate_series(1, 170) k
),
dealer_vehicle as (
  select s.seq, s.site_id, null::uuid as client_account_id, s.status, m.*, s.brand_new, s.mileage_km,
         p.purchase_eur * 100 as purchase_price_cents,
         (ceil(p.purchase_eur * case when s.brand_new then 1.12 else 1.15 end / 1000) * 1000 - 10)::bigint * 100 as sale_price_cents,
         s.stocked_on, s.stocked_on + time '10:00' as arrived_at, null::timestamptz as ready_at,
         case s.status when 'in_stock' then 'parking' when 'in_transit' then null else 'ready' end as bay_kind
  from stock s
  join model m on m.idx = 1 + (s.k * 11) % 23
  cross join lateral (select (round(m.new_price_eur * case when s.brand_new then 0.84
                                    else greatest(0.35, 0.86 - s.mileage_km / 180000.0 - (s.k % 4) * 0.04) end / 100) * 100)::bigint
                      as purchase_eur) p
),
vehicle as (
  select v.*, row_number() over (partition by v.site_id, v.bay_kind order by v.seq) as slot
  from (select * from hub_vehicle union all select * from dealer_vehicle) v
),
bay_slot as (
  select b.id, b.site_id, z.kind::text as kind, row_number() over (partition by b.site_id, z.kind order by b.rank) as slot
  from public.bays b
  join public.yard_zones z on z.id = b.zone_id
  join public.sites s on s.id = b.site_id and s.organisation_id = 'd0000000-0000-4000-a000-000000000001'
)
select md5('relais-demo/vehicle/' || v.seq)::uuid, 'd0000000-0000-4000-a000-000000000001', v.site_id, b.id, v.client_account_id,
       -- VIN: maker code + model code + check digit + model year + plant + serial (= seq)
       v.wmi || v.vds || (v.seq * 3) % 10 || case when v.brand_new then 'T' else substr('NPRS', 1 + v.seq % 4, 1) end
         || 'A' || lpad(v.seq::text, 6, '0'),
       -- SIV plate AB-123-CD (no I, O, U), new cars still expected at the hub are not registered yet
       case when v.brand_new and v.status = 'expected' then null
            else case when v.brand_new then 'H' else substr('FGGH', 1 + v.seq % 4, 1) end
                 || substr('ABCDEFGHJKLMNPRSTVWXYZ', 1 + (v.seq * 7) % 22, 1) || '-'
                 || lpad((1 + (v.seq * 41) % 999)::text, 3, '0') || '-'
                 || substr('ABCDEFGHJKLMNPRSTVWXYZ', 1 + (v.seq * 5) % 22, 1)
                 || substr('ABCDEFGHJKLMNPRSTVWXYZ', 1 + (v.seq * 3 + 7) % 22, 1) end,
       v.make, v.model, v.energy::public.energy, v.mileage_km,
       (array['Blanc', 'Gris', 'Noir', 'Blanc', 'Bleu', 'Gris foncé', 'Rouge', 'Noir', 'Argent', 'Blanc nacré', 'Vert', 'Orange'])[1 + (v.seq * 5) % 12],
       v.status::public.vehicle_status, v.purchase_price_cents, v.sale_price_cents, v.stocked_on, v.arrived_at, v.ready_at
from vehicle v
left join bay_slot b on b.site_id = v.site_id and b.kind = v.bay_kind and b.slot = v.slot
on conflict do nothing;

-- ─── tasks: 1-3 services per vehicle of each order ──────────────────────────────────────────
-- Planned on the work day of the vehicle (same rule as the vehicles above), unplanned while the
-- vehicle is expected. Past → done / validated, today → done / in progress / planned, later →
-- planned. Priced from the price list on the day the order was created, client price first.
insert into public.tasks (id, site_id, client_account_id, order_id, vehicle_id, service_id, team_id, assignee_id, planned_on,
                          estimated_minutes, price_cents, status, started_at, completed_at, comment, created_at, updated_at)
with work as (
  select n, p, o.id as order_id, o.site_id, o.client_account_id, o.status as order_status, o.created_at, s.code as site_code,
         v.id as vehicle_id, v.energy, ca.kind = 'manufacturer' as brand_new,
         case when v.status <> 'expected' then w.day - (extract(isodow from w.day) = 7)::integer end as planned_on
  from generate_series(1, 40) n
  join public.orders o on o.id = md5('relais-demo/order/' || n)::uuid
  join public.sites s on s.id = o.site_id
  join public.client_accounts ca on ca.id = o.client_account_id
  cross join generate_series(1, (array[2, 1, 4, 3, 1, 6, 2, 3])[1 + n % 8]) p
  join public.vehicles v on v.id = md5('relais-demo/vehicle/' || (n * 10 + p))::uuid
  cross join lateral (select o.deadline - p % 3 as day) w
),
line as (
  select w.*, l.code, l.s,
         case when w.planned_on is null then 'todo'
              when w.planned_on < current_date then
                case when w.order_status = 'closed' or w.planned_on < current_date - 2 then 'validated' else 'done' end
              when w.planned_on = current_date then
                case when l.s < 1 + (w.n + w.p) % 2 then 'done' when l.s = 1 + (w.n + w.p) % 2 then 'in_progress' else 'planned' end
              else 'planned' end as status
  from work w
  cross join lateral (select case when w.brand_new
                                  then (array['PDI,WASH_EXT', 'PDI,STICKER,WASH_EXT', 'PDI'])[1 + (w.n + w.p) % 3]
                                  else (array['WASH_FULL', 'BODY_SMART,WASH_FULL', 'STICKER,WASH_EXT', 'TYRES,WASH_FULL',
                                              'RECON,WASH_FULL', 'WASH_EXT', 'STICKER,TYRES,WASH_FULL', 'BODY_SMART,WASH_EXT'])[1 + (w.n * 3 + w.p) % 8]
                             end as bundle) b
  -- electric vehicles leave charged when there is room for one more service
  cross join lateral unnest(string_to_array(b.bundle, ',')
                            || case when w.energy = 'electric' and b.bundle not like '%,%,%' then array['CHARGE'] else '{}'::text[] end)
    with ordinality as l (code, s)
)
select md5('relais-demo/task/' || l.n || '/' || l.p || '/' || l.code)::uuid, l.site_id, l.client_account_id, l.order_id,
       l.vehicle_id, sv.id, md5('relais-demo/team/' || l.site_code || '/' || t.team_name)::uuid,
       case when l.status = 'todo' or (l.status = 'planned' and l.planned_on > current_date + 1) then null
            when l.site_code = 'HUB-MRS' then 'd0000000-0000-4000-a003-000000000011'::uuid
            when t.team_name in ('Lavage', 'Mise en énergie') then 'd0000000-0000-4000-a003-000000000017'::uuid
            else 'd0000000-0000-4000-a003-000000000005'::uuid end,
       l.planned_on, sv.default_minutes, pr.unit_price_cents, l.status::public.task_status,
       tm.started_at,
       case when l.status in ('done', 'validated') then tm.started_at + sv.default_minutes * interval '1 minute' end,
       case when (l.n * 3 + l.p + l.s) % 13 = 0
            then (array['Rayure sur le pare-chocs arrière, à signaler au client.', 'Clés remises à l''accueil.',
                        'Odeur de tabac : prévoir un traitement à l''ozone.', 'Pneus commandés (205/55 R16), livraison demain.'])[1 + l.n % 4] end,
       l.created_at, coalesce(tm.started_at, l.created_at)
from line l
join public.services sv on sv.site_id = l.site_id and sv.code = l.code
cross join lateral (select case sv.zone_kind when 'wash' then 'Lavage' when 'bodywork' then 'Carrosserie'
                                            when 'parking' then 'Mise en énergie' else 'Préparation' end as team_name) t
cross join lateral (
  select pr.unit_price_cents from public.prices pr
  where pr.service_id = sv.id
    and (pr.client_account_id is null or pr.client_account_id = l.client_account_id)
    and pr.valid_from <= l.created_at::date and (pr.valid_to is null or pr.valid_to >= l.created_at::date)
  order by pr.client_account_id nulls last, pr.valid_from desc
  limit 1
) pr
cross join lateral (select case
    when l.status in ('done', 'validated', 'in_progress') then
      least(l.planned_on + time '08:00' + ((l.p - 1) * 35 + (l.s - 1) * 50) * interval '1 minute',
            now() - (sv.default_minutes + 20) * interval '1 minute' * (l.status = 'done')::integer - interval '10 minutes')
  end as started_at) tm
on conflict do nothing;

-- ─── gate movements and arrival inspections (hub vehicles) ───────────────────────────────────
-- gate_in at arrival (into its bay when still waiting there), bay_move into the service or
-- delivery bay, gate_out when delivered. Recorded by the operator of the site.
insert into public.movements (id, site_id, client_account_id, vehicle_id, kind, bay_id, occurred_at, recorded_by)
select md5('relais-demo/movement/' || m.kind || '/' || v.seq)::uuid, v.site_id, v.client_account_id, v.id,
       m.kind::public.movement_kind, m.bay_id, m.occurred_at,
       (case when v.site_id = 'd0000000-0000-4000-a001-000000000001' then 'd0000000-0000-4000-a003-000000000005'
             else 'd0000000-0000-4000-a003-000000000011' end)::uuid
from (select seq, x.* from generate_series(1, 520) seq
      join public.vehicles x on x.id = md5('relais-demo/vehicle/' || seq)::uuid) v
cross join lateral (values
  ('gate_in', case when v.status = 'on_site' then v.bay_id end, v.arrived_at),
  ('bay_move', v.bay_id, case when v.status = 'ready' then v.ready_at
                              when v.status = 'in_service' then least(current_date + time '08:00', now() - interval '5 minutes') end),
  ('gate_out', null, case when v.status = 'delivered' then v.ready_at + interval '17 hours' end)
) as m (kind, bay_id, occurred_at)
where m.occurred_at is not null and (m.kind <> 'bay_move' or m.bay_id is not null)
on conflict do nothing;

insert into public.inspections (id, site_id, client_account_id, vehicle_id, movement_id, mileage_km, energy_level_percent,
                                damages, comments, created_by, created_at)
select md5('relais-demo/inspection/' || v.seq)::uuid, v.site_id, v.client_account_id, v.id,
       md5('relais-demo/movement/gate_in/' || v.seq)::uuid, v.mileage_km,
       case when v.energy = 'electric' then 20 + (v.seq * 13) % 60 else 15 + (v.seq * 29) % 80 end,
       (array['[]',
              '[{"zone":"front_left","kind":"scratch","severity":1}]',
              '[{"zone":"rear_bumper","kind":"dent","severity":2}]',
              '[]',
              '[{"zone":"windscreen","kind":"chip","severity":1},{"zone":"rear_right_door","kind":"scratch","severity":2}]',
              '[{"zone":"front_right_wheel","kind":"scuff","severity":1}]'])[1 + v.seq % 6]::jsonb,
       (array['RAS.', 'Rayure légère aile avant gauche.', 'Bosse sur le pare-chocs arrière, photos jointes.', 'Véhicule propre, RAS.',
              'Impact pare-brise côté passager, rayure porte arrière droite.', 'Jante avant droite frottée.'])[1 + v.seq % 6],
       (case when v.site_id = 'd0000000-0000-4000-a001-000000000001' then 'd0000000-0000-4000-a003-000000000005'
             else 'd0000000-0000-4000-a003-000000000011' end)::uuid,
       v.arrived_at + interval '8 minutes'
from (select seq, x.* from generate_series(1, 520) seq
      join public.vehicles x on x.id = md5('relais-demo/vehicle/' || seq)::uuid) v
where v.arrived_at is not null and v.seq % 3 = 0
on conflict do nothing;

-- ─── transfers between dealerships (and one delivery to a client agency) ─────────────────────
-- Steps follow requested → approved → driver_assigned → picked_up → in_transit → delivered →
-- received, each one a transfer_events row. The driver is chauffeur@relais.demo.
insert into public.transfers (id, organisation_id, vehicle_id, from_site_id, to_site_id, client_account_id, delivery_address,
                              status, reason, driver_id, requested_by, created_at, updated_at)
select md5('relais-demo/transfer/' || t.n)::uuid, 'd0000000-0000-4000-a000-000000000001', t.vehicle_id, f.id, d.id,
       t.client_account_id::uuid, t.delivery_address, t.status::public.transfer_status, t.reason,
       case when array_position(flow.steps, t.status) >= 3 then 'd0000000-0000-4000-a003-000000000008'::uuid end,
       ('d0000000-0000-4000-a003-' || lpad(t.requested_by::text, 12, '0'))::uuid,
       current_date - t.days_ago + time '08:00',
       current_date - t.days_ago + time '08:00' + flow.minutes[array_position(flow.steps, t.status)] * interval '1 minute'
from (values
  (1, md5('relais-demo/vehicle/1017')::uuid, 'CON-LYV', 'CON-MRP', null, null, 'requested', 1,
      'Réservé par un client de Marseille Prado, livraison souhaitée samedi.', 7),
  (2, md5('relais-demo/vehicle/1028')::uuid, 'CON-LYV', 'CON-GRE', null, null, 'driver_assigned', 1,
      'Réservation d''un client de Grenoble.', 7),
  (3, md5('relais-demo/vehicle/1077')::uuid, 'CON-GRE', 'CON-LYV', null, null, 'in_transit', 1,
      'Rééquilibrage du stock électrique vers Lyon.', 14),
  (4, md5('relais-demo/vehicle/1121')::uuid, 'CON-LYV', 'CON-MRP', null, null, 'received', 9,
      'Demande de stock de Marseille Prado : citadines.', 13),
  (5, md5('relais-demo/vehicle/1092')::uuid, 'CON-MRP', 'CON-GRE', null, null, 'received', 5,
      'Véhicule demandé pour un essai client à Grenoble.', 16),
  (6, md5('relais-demo/vehicle/1048')::uuid, 'CON-LYV', 'CON-MRP', null, null, 'approved', 2,
      'Reprise d''une commande client de Marseille.', 7),
  (7, (select v.id from public.vehicles v
       where v.site_id = 'd0000000-0000-4000-a001-000000000001' and v.client_account_id = 'd0000000-0000-4000-a002-000000000001'
         and v.id in (select md5('relais-demo/vehicle/' || seq)::uuid from generate_series(1, 520) seq)
       order by v.status <> 'ready', v.vin limit 1),
      'HUB-LYS', null, 'd0000000-0000-4000-a002-000000000001',
      'Europa Location – agence Lyon Part-Dieu, 17 boulevard Marius Vivier-Merle, 69003 Lyon', 'driver_assigned', 1,
      'Remise en flotte : livraison à l''agence.', 6)
) as t (n, vehicle_id, from_code, to_code, client_account_id, delivery_address, status, days_ago, reason, requested_by)
cross join (select array['requested', 'approved', 'driver_assigned', 'picked_up', 'in_transit', 'delivered', 'received'] as steps,
                   array[0, 90, 240, 360, 380, 570, 600] as minutes) flow
join public.sites f on f.code = t.from_code and f.organisation_id = 'd0000000-0000-4000-a000-000000000001'
left join public.sites d on d.code = t.to_code and d.organisation_id = 'd0000000-0000-4000-a000-000000000001'
on conflict do nothing;

insert into public.transfer_events (id, transfer_id, from_site_id, to_site_id, client_account_id, driver_id, status, note, actor_id, occurred_at)
with flow (steps, minutes, notes) as (
  select array['requested', 'approved', 'driver_assigned', 'picked_up', 'in_transit', 'delivered', 'received'],
         array[0, 90, 240, 360, 380, 570, 600],
         array[null, 'Validé.', 'Chauffeur : Hugo Girard.', 'Véhicule chargé, état des lieux fait.', null,
               'Livré, clés remises.', 'Réceptionné, RAS.']
),
-- who approves a transfer leaving a site and receives one arriving there
manager (site_id, user_id) as (
  select s.id, ('d0000000-0000-4000-a003-' || lpad(m.n::text, 12, '0'))::uuid
  from (values ('HUB-LYS', 3), ('HUB-MRS', 12), ('CON-LYV', 13), ('CON-GRE', 14), ('CON-MRP', 15)) as m (code, n)
  join public.sites s on s.code = m.code and s.organisation_id = 'd0000000-0000-4000-a000-000000000001'
)
select md5('relais-demo/transfer-event/' || t.id || '/' || step)::uuid, t.id, t.from_site_id, t.to_site_id, t.client_account_id,
       t.driver_id, flow.steps[step]::public.transfer_status, flow.notes[step],
       case when step = 1 then t.requested_by
            when step in (4, 5, 6) then t.driver_id
            when step = 7 then mt.user_id
            else mf.user_id end,
       t.created_at + flow.minutes[step] * interval '1 minute'
from public.transfers t
cross join flow
cross join generate_series(1, array_position(flow.steps, t.status::text)) step
join manager mf on mf.site_id = t.from_site_id
left join manager mt on mt.site_id = t.to_site_id
where t.id in (select md5('relais-demo/transfer/' || n)::uuid from generate_series(1, 7) n)
on conflict do nothing;

-- ─── ticket threads and messages ────────────────────────────────────────────────────────────
-- Messages carry the site and client account of their thread, one staff-only note per thread.
insert into public.ticket_threads (id, site_id, client_account_id, subject_type, subject_id, title, status, assignee_id,
                                   created_by, created_at, last_message_at)
select md5('relais-demo/thread/' || t.n)::uuid, t.site_id::uuid, t.client_account_id::uuid, t.subject_type::public.thread_subject,
       t.subject_id, t.title, t.status::public.thread_status, 'd0000000-0000-4000-a003-000000000006',
       ('d0000000-0000-4000-a003-' || lpad(t.author::text, 12, '0'))::uuid, t.opened_at, t.opened_at + interval '2 hours'
from (values
  (1, 'd0000000-0000-4000-a001-000000000001', 'd0000000-0000-4000-a002-000000000001', 'order',
      (select o.id from public.orders o
       where o.site_id = 'd0000000-0000-4000-a001-000000000001' and o.client_account_id = 'd0000000-0000-4000-a002-000000000001'
         and o.id in (select md5('relais-demo/order/' || n)::uuid from generate_series(1, 40) n)
       -- the next open deadline (any order of the list on a later run, so never null)
       order by o.status <> 'open', o.deadline < current_date, o.deadline, o.reference limit 1),
      'Véhicules prêts pour la date prévue ?', 'pending', 9, current_date - 1 + time '09:12'),
  (2, 'd0000000-0000-4000-a001-000000000002', 'd0000000-0000-4000-a002-000000000002', 'vehicle',
      (select v.id from public.vehicles v
       where v.site_id = 'd0000000-0000-4000-a001-000000000002' and v.client_account_id = 'd0000000-0000-4000-a002-000000000002'
         and v.id in (select md5('relais-demo/vehicle/' || seq)::uuid from generate_series(1, 520) seq)
       order by v.status not in ('ready', 'delivered'), v.vin limit 1),
      'Rayure constatée au retour en agence', 'open', 10, current_date - 2 + time '14:05')
) as t (n, site_id, client_account_id, subject_type, subject_id, title, status, author, opened_at)
on conflict do nothing;

insert into public.ticket_messages (id, thread_id, site_id, client_account_id, author_id, body, internal, created_at)
select md5('relais-demo/message/' || m.thread || '/' || m.n)::uuid, th.id, th.site_id, th.client_account_id,
       ('d0000000-0000-4000-a003-' || lpad(m.author::text, 12, '0'))::uuid, m.body, m.internal,
       th.created_at + m.after_minutes * interval '1 minute'
from (values
  (1, 1, 9, false, 0, 'Bonjour, pouvez-vous nous confirmer que tous les véhicules de cette commande seront prêts à la date prévue ? '
                      || 'Nous avons des départs clients le lendemain matin. Merci, Inès'),
  (1, 2, 6, false, 47, 'Bonjour Inès, c''est bien planifié : lavages et contrôles sont en cours, je vous confirme la mise à '
                       || 'disposition dès que le dernier véhicule est validé. Bonne journée, François'),
  (1, 3, 3, true, 120, 'Interne : la carrosserie est chargée demain, prioriser cette commande si besoin.'),
  (2, 1, 10, false, 0, 'Bonjour, notre agence signale une rayure sur la porte arrière droite de ce véhicule. '
                       || 'Était-elle déjà présente à son arrivée chez vous ?'),
  (2, 2, 6, false, 35, 'Bonjour Julien, je vérifie l''état des lieux d''entrée et les photos, je reviens vers vous dans la journée.'),
  (2, 3, 11, true, 120, 'Interne : rayure notée à l''inspection d''entrée, photo au dossier. On peut proposer un smart repair.')
) as m (thread, n, author, internal, after_minutes, body)
join public.ticket_threads th on th.id = md5('relais-demo/thread/' || m.thread)::uuid
on conflict do nothing;

-- ─── notifications ──────────────────────────────────────────────────────────────────────────
insert into public.notifications (id, user_id, kind, title, body, link, read_at, created_at)
select md5('relais-demo/notification/' || x.n)::uuid, ('d0000000-0000-4000-a003-' || lpad(x.user_n::text, 12, '0'))::uuid,
       x.kind, x.title, x.body, x.link, case when x.read then now() - x.ago + interval '20 minutes' end, now() - x.ago
from (values
  (1, 6, 'ticket_message', 'Nouveau message de Europa Location', 'Inès Laurent : « Bonjour, pouvez-vous nous confirmer… »',
      '/tickets/' || md5('relais-demo/thread/1')::uuid, false, interval '26 hours'),
  (2, 6, 'ticket_message', 'Nouveau message de Rentix', 'Julien Mercier : « Bonjour, notre agence signale une rayure… »',
      '/tickets/' || md5('relais-demo/thread/2')::uuid, true, interval '2 days'),
  (3, 9, 'ticket_reply', 'Réponse du Hub Lyon Saint-Exupéry', 'François Petit a répondu à votre demande.',
      '/tickets/' || md5('relais-demo/thread/1')::uuid, false, interval '25 hours'),
  (4, 10, 'ticket_reply', 'Réponse du Hub Marseille Vitrolles', 'François Petit a répondu à votre demande.',
      '/tickets/' || md5('relais-demo/thread/2')::uuid, false, interval '47 hours'),
  (5, 8, 'transfer_assigned', 'Nouveau convoyage : Lyon Vaise → Grenoble', 'Départ prévu aujourd''hui.',
      '/transfers/' || md5('relais-demo/transfer/2')::uuid, false, interval '20 hours'),
  (6, 8, 'transfer_assigned', 'Livraison agence Europa Location Lyon Part-Dieu', null,
      '/transfers/' || md5('relais-demo/transfer/7')::uuid, true, interval '20 hours'),
  (7, 3, 'capacity_warning', 'Carrosserie : charge élevée demain', 'Le planning dépasse la capacité de l''équipe.',
      '/board', false, interval '3 hours'),
  (8, 4, 'task_late', 'Tâches en retard', 'Des tâches planifiées hier ne sont pas terminées.', '/board', true, interval '1 day'),
  (9, 5, 'task_assigned', 'Nouvelles tâches pour aujourd''hui', null, '/today', false, interval '2 hours'),
  (10, 7, 'transfer_status', 'Transfert réceptionné à Marseille Prado', null,
      '/transfers/' || md5('relais-demo/transfer/4')::uuid, true, interval '8 days'),
  (11, 9, 'vehicles_ready', 'Véhicules prêts à l''enlèvement', 'Des véhicules de vos commandes sont prêts.', '/portal', true,
      interval '1 day'),
  (12, 2, 'weekly_report', 'Synthèse hebdomadaire disponible', null, '/kpi', false, interval '4 days'),
  (13, 1, 'welcome', 'Bienvenue dans la démo Relais', 'Toutes les connexions de démonstration utilisent le mot de passe relais-demo.',
      '/admin', true, interval '10 days')
) as x (n, user_n, kind, title, body, link, read, ago)
on conflict do nothing;

-- ─── invoicing ──────────────────────────────────────────────────────────────────────────────
-- Validated tasks above are ready for the monthly run (/invoices); invoices are due 30 days
-- after issue and print the accounts' billing addresses.
update public.organisations set settings = settings || '{"payment_terms_days": 30}'
where id = 'd0000000-0000-4000-a000-000000000001';
update public.client_accounts c set billing_address = a.address
from (values
  ('d0000000-0000-4000-a002-000000000001'::uuid, E'Europa Location SAS\nService comptabilité fournisseurs\n12 rue de la République\n69002 Lyon'),
  ('d0000000-0000-4000-a002-000000000002'::uuid, E'Rentix France\n45 boulevard Michelet\n13008 Marseille'),
  ('d0000000-0000-4000-a002-000000000003'::uuid, E'Nordia Automobiles\nDirection logistique\n8 avenue de l''Europe\n59000 Lille')
) as a (id, address)
where c.id = a.id and c.billing_address is null;

-- ─── drivers and their compliance documents ─────────────────────────────────────────────────
-- chauffeur@relais.demo (Hugo Girard) is compliant, his insurance due for renewal within 30
-- days (the daily job raises its alert); a partner's driver has no ID card on file and an
-- expired professional card. Dates are relative to the day the seed first runs.
insert into public.drivers (id, organisation_id, profile_id, kind, full_name, partner_company, phone)
values
  (md5('relais-demo/driver/1')::uuid, 'd0000000-0000-4000-a000-000000000001', 'd0000000-0000-4000-a003-000000000008',
   'internal', 'Hugo Girard', null, '+33 6 12 40 18 08'),
  (md5('relais-demo/driver/2')::uuid, 'd0000000-0000-4000-a000-000000000001', null,
   'partner', 'Julien Moreau', 'Convoi Express Rhône', '+33 6 11 22 33 44')
on conflict do nothing;

-- No scanned file comes with the demo documents: a manager files one from the driver's page.
insert into public.driver_documents (id, organisation_id, driver_id, kind, number, expires_on)
select md5('relais-demo/driver-document/' || d.driver || '/' || d.kind)::uuid, 'd0000000-0000-4000-a000-000000000001',
       md5('relais-demo/driver/' || d.driver)::uuid, d.kind, d.number, current_date + d.days
from (values
  (1, 'licence', '12AB34567', 2900),
  (1, 'id_card', 'X4RT92K81', 3400),
  (1, 'insurance', 'AXA-PRO-88231', 24),
  (1, 'professional_card', 'FCO-69-2291', 700),
  (2, 'licence', '09CD76543', 1800),
  (2, 'insurance', 'ALZ-44190', 200),
  (2, 'professional_card', 'FCO-38-1170', -12)
) as d (driver, kind, number, days)
on conflict do nothing;

-- ─── dealer CRM: customers, their history, leads, rules, forms, quotes ─────────────────────
-- 240 customers met at the three dealerships (customer n first met at dealership n % 3),
-- 2-4 interactions each over the last 120 days, 150 leads across the pipeline stages and a
-- quote for each lead past the test drive. Customers 241-242 are duplicates of 5 and 12 (same
-- phone typed another way, same email) for the merge screen. Sales people: Gaëlle Bernard and
-- Thomas Mercier at CON-LYV, Inès Morel at CON-GRE, Pauline Lambert at CON-MRP.
update public.organisations set settings = settings || '{"lead_response_minutes": 60}'
where id = 'd0000000-0000-4000-a000-000000000001' and not settings ? 'lead_response_minutes';

insert into public.lead_rules (id, organisation_id, site_id, position, kind, params)
select md5('relais-demo/lead-rule/' || r.position)::uuid, 'd0000000-0000-4000-a000-000000000001', null,
       r.position, r.kind::public.lead_rule_kind, r.params::jsonb
from (values
  (1, 'vehicle_site', '{}'),
  (2, 'nearest_site', '{"max_km": 150}'),
  (3, 'fastest_responder', '{}'),
  (4, 'round_robin', '{}'),
  (5, 'fallback', '{"site_id": "d0000000-0000-4000-a001-000000000003"}')
) as r (position, kind, params)
on conflict do nothing;

-- Form keys: md5 of `relais-demo/lead-form/<site code>` (the embed address of each site).
insert into public.lead_forms (id, organisation_id, site_id, public_key, title)
select md5('relais-demo/lead-form-id/' || s.code)::uuid, s.organisation_id, s.id,
       md5('relais-demo/lead-form/' || s.code), 'Demande de contact ' || s.name
from public.sites s
where s.organisation_id = 'd0000000-0000-4000-a000-000000000001' and s.kind = 'dealership'
on conflict do nothing;

with names as (
  select array['Camille', 'Lucas', 'Chloé', 'Hugo', 'Manon', 'Louis', 'Sarah', 'Nathan', 'Léa', 'Théo',
               'Julie', 'Antoine', 'Laura', 'Maxime', 'Pauline', 'Romain', 'Marie', 'Nicolas', 'Anaïs', 'Yanis'] as first,
         array['Durand', 'Lambert', 'Bonnet', 'François', 'Martinez', 'Legrand', 'Garnier', 'Faure', 'Rousseau', 'Blanc',
               'Guérin', 'Muller', 'Henry', 'Roussel', 'Nicolas', 'Perrin', 'Morin', 'Mathieu', 'Clément', 'Gauthier'] as last,
         array['69003', '69006', '69100', '69300', '69500', '38000', '38100', '38400', '38500', '13001',
               '13006', '13008', '13100', '13400', '83000', '01000', '42000', '73000', '26000', '84000'] as postcodes,
         array['d0000000-0000-4000-a001-000000000003', 'd0000000-0000-4000-a001-000000000004',
               'd0000000-0000-4000-a001-000000000005']::uuid[] as dealers
)
insert into public.customers (id, organisation_id, first_name, last_name, email, phone, postcode, first_site_id, created_at)
select md5('relais-demo/customer/' || n)::uuid, 'd0000000-0000-4000-a000-000000000001',
       first[1 + n % 20], last[1 + (n * 7 + n / 20) % 20],
       case when n % 6 = 5 then null
            else lower(translate(first[1 + n % 20] || '.' || last[1 + (n * 7 + n / 20) % 20], 'éèëïç', 'eeeic')) || n || '@exemple.fr' end,
       case when n % 9 = 4 then null else '+33 6 ' || lpad((n * 37 % 100)::text, 2, '0') || ' ' || lpad(((n * 53 + n / 100 * 17) % 100)::text, 2, '0')
         || ' ' || lpad((n % 100)::text, 2, '0') || ' ' || lpad((n * 11 % 100)::text, 2, '0') end,
       postcodes[1 + (n * 3) % 20], dealers[1 + n % 3],
       now() - (120 - n % 120) * interval '1 day'
from names, generate_series(1, 240) as n
on conflict do nothing;

-- The duplicates: 241 has customer 5's phone typed as a national number, 242 customer 12's email.
insert into public.customers (id, organisation_id, first_name, last_name, email, phone, postcode, first_site_id, created_at)
select md5('relais-demo/customer/' || d.n)::uuid, c.organisation_id, c.first_name, c.last_name,
       case when d.n = 242 then upper(c.email) end,
       case when d.n = 241 then '0' || regexp_replace(substr(c.phone, 5), ' ', '.', 'g') end,
       c.postcode, 'd0000000-0000-4000-a001-000000000005', now() - interval '3 days'
from (values (241, 5), (242, 12)) as d (n, of)
join public.customers c on c.id = md5('relais-demo/customer/' || d.of)::uuid
on conflict do nothing;

-- Lead n: customer n, at dealership n % 3; stage by n % 10; the requested vehicle is one of the
-- site's stock; created 1 to 60 days ago and answered within 5 to 95 minutes (the new ones not yet).
with lead as (
  select n, n % 3 as dealer, n % 10 as step,
         (array['new', 'new', 'contacted', 'contacted', 'test_drive', 'quote', 'quote', 'order', 'delivered', 'lost'])[1 + n % 10] as stage,
         now() - (1 + n % 60) * interval '1 day' - (n % 7) * interval '1 hour' as created_at
  from generate_series(1, 150) as n
),
placed as (
  select l.*,
         (array['d0000000-0000-4000-a001-000000000003', 'd0000000-0000-4000-a001-000000000004',
                'd0000000-0000-4000-a001-000000000005'])[1 + l.dealer]::uuid as site_id,
         ('d0000000-0000-4000-a003-' || lpad((case l.dealer when 0 then (case when l.n % 2 = 0 then 7 else 18 end)
                                                            when 1 then 19 else 16 end)::text, 12, '0'))::uuid as assignee,
         md5('relais-demo/vehicle/' || (1000 + case l.dealer when 0 then 1 + l.n % 65 when 1 then 66 + l.n % 50
                                                             else 116 + l.n % 55 end))::uuid as vehicle_id
  from lead l
)
insert into public.leads (id, organisation_id, site_id, customer_id, source, form_site_id, requested_vehicle_id, message,
                          assigned_to, assigned_at, site_rule, person_rule, assignment_detail, first_response_at,
                          stage, stage_changed_at, lost_reason, value_cents, position, created_at)
select md5('relais-demo/lead/' || p.n)::uuid, 'd0000000-0000-4000-a000-000000000001', p.site_id,
       md5('relais-demo/customer/' || p.n)::uuid,
       (array['web_form', 'web_form', 'manual', 'import'])[1 + p.n % 4]::public.lead_source,
       case when p.n % 4 < 2 then p.site_id end, p.vehicle_id,
       (array['Bonjour, ce véhicule est-il toujours disponible ?', 'Je souhaiterais un essai ce samedi.',
              'Quelle reprise pour ma Clio de 2017 ?', 'Pouvez-vous me rappeler en fin de journée ?'])[1 + p.n % 4],
       p.assignee, p.created_at,
       case when p.n % 4 < 2 then 'vehicle_site' else 'nearest_site' end,
       case when p.dealer = 0 then 'round_robin' else 'fastest_responder' end,
       case when p.n % 4 < 2 then '{}'::jsonb else jsonb_build_object('distance_km', 4 + p.n % 30) end,
       case when p.step > 1 then p.created_at + (5 + p.n * 13 % 90) * interval '1 minute' end,
       p.stage::public.lead_stage, p.created_at + (p.step * 2) * interval '1 day',
       case when p.stage = 'lost' then (array['Prix trop élevé', 'A acheté ailleurs', 'Projet reporté'])[1 + p.n % 3] end,
       coalesce(v.sale_price_cents, 0), 'a' || lpad(p.n::text, 4, '0'), p.created_at
from placed p
left join public.vehicles v on v.id = p.vehicle_id
on conflict do nothing;

-- History: a visit or a call where the customer was first met, a test drive or an email at
-- another site for one in three (one customer across the group), and the lead's first answer.
insert into public.customer_interactions (id, organisation_id, customer_id, site_id, kind, lead_id, vehicle_id, note, by_user_id, occurred_at)
select md5('relais-demo/interaction/' || c.n || '/' || i.k)::uuid, 'd0000000-0000-4000-a000-000000000001',
       md5('relais-demo/customer/' || c.n)::uuid,
       (array['d0000000-0000-4000-a001-000000000003', 'd0000000-0000-4000-a001-000000000004',
              'd0000000-0000-4000-a001-000000000005'])[1 + (c.n + case when i.k = 2 then 1 else 0 end) % 3]::uuid,
       (case i.k when 1 then (array['visit', 'call', 'email'])[1 + c.n % 3]
                 when 2 then (array['test_drive', 'email', 'visit'])[1 + c.n % 3]
                 else 'call' end)::public.interaction_kind,
       null, case when i.k = 2 then md5('relais-demo/vehicle/' || (1000 + 1 + (c.n * 7) % 170))::uuid end,
       (array['Cherche un SUV familial, budget 25 000 €.', 'Intéressé par un véhicule électrique.',
              'Demande de reprise de son véhicule actuel.', 'Rappel convenu la semaine prochaine.'])[1 + (c.n + i.k) % 4],
       null, now() - ((120 - c.n % 120) - i.k * 9) * interval '1 day'
from generate_series(1, 240) as c (n)
cross join generate_series(1, 3) as i (k)
where i.k = 1 or (i.k = 2 and c.n % 3 = 0) or (i.k = 3 and c.n % 4 = 1)
on conflict do nothing;

insert into public.customer_interactions (id, organisation_id, customer_id, site_id, kind, lead_id, vehicle_id, note, by_user_id, occurred_at)
select md5('relais-demo/lead-interaction/' || l.id)::uuid, l.organisation_id, l.customer_id, l.site_id,
       (case when l.stage in ('test_drive', 'quote', 'order', 'delivered') then 'test_drive' else 'call' end)::public.interaction_kind,
       l.id, l.requested_vehicle_id, 'Premier contact, rendez-vous proposé.', l.assigned_to, l.first_response_at
from public.leads l
where l.organisation_id = 'd0000000-0000-4000-a000-000000000001' and l.first_response_at is not null
  and l.id = md5('relais-demo/lead/' || substr(l.position, 2)::int)::uuid
on conflict do nothing;

-- Quotes: DV-<year>-<lead number>, at the vehicle's price less 0-4 %, accepted for orders and deliveries.
insert into public.quotes (id, organisation_id, selling_site_id, lead_id, customer_id, vehicle_id, number, status,
                           price_cents, valid_until, created_by, created_at, accepted_at)
select md5('relais-demo/quote/' || l.id)::uuid, l.organisation_id, l.site_id, l.id, l.customer_id, l.requested_vehicle_id,
       'DV-' || extract(year from l.created_at)::int || '-' || substr(l.position, 2),
       (case when l.stage in ('order', 'delivered') then 'accepted' when l.stage = 'lost' then 'declined' else 'sent' end)::public.quote_status,
       v.sale_price_cents * (100 - substr(l.position, 2)::int % 5) / 100,
       (l.created_at + interval '30 days')::date, l.assigned_to, l.created_at + interval '3 days',
       case when l.stage in ('order', 'delivered') then l.created_at + interval '6 days' end
from public.leads l
join public.vehicles v on v.id = l.requested_vehicle_id
where l.organisation_id = 'd0000000-0000-4000-a000-000000000001' and l.stage in ('quote', 'order', 'delivered', 'lost')
  and v.sale_price_cents > 0 and l.id = md5('relais-demo/lead/' || substr(l.position, 2)::int)::uuid
on conflict do nothing;

commit;
