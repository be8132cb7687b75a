-- Core: organisations, sites, teams, people, memberships, client accounts.
-- Sections: types → tables → indexes → enable RLS → grants → helpers → policies.

-- ─── types ──────────────────────────────────────────────────────────────────────────────────
create type public.app_role as enum (
  'operator', 'team_lead', 'csm', 'sales', 'site_manager', 'director', 'driver', 'client', 'admin'
);
create type public.site_kind as enum ('hub', 'dealership');

-- ─── tables ─────────────────────────────────────────────────────────────────────────────────
create table public.organisations (
  id uuid primary key default gen_random_uuid(),
  name text not null check (length(name) between 1 and 200),
  -- Organisation-wide switches read by policies and rules (e.g. sales_see_group_stock).
  settings jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now()
);

create table public.sites (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  code text not null check (code ~ '^[A-Z0-9-]{2,12}$'),
  name text not null check (length(name) between 1 and 200),
  kind public.site_kind not null,
  legal_name text not null,
  siret text not null check (siret ~ '^[0-9]{14}$'),
  vat_number text not null check (vat_number ~ '^FR[0-9A-Z]{2}[0-9]{9}$'),
  share_capital_cents bigint not null default 0 check (share_capital_cents >= 0),
  address_line text not null,
  postcode text not null,
  city text not null,
  latitude double precision not null check (latitude between -90 and 90),
  longitude double precision not null check (longitude between -180 and 180),
  capacity integer not null default 0 check (capacity >= 0),
  timezone text not null default 'Europe/Paris',
  settings jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  unique (organisation_id, code)
);

create table public.teams (
  id uuid primary key default gen_random_uuid(),
  site_id uuid not null references public.sites (id) on delete cascade,
  name text not null check (length(name) between 1 and 100),
  colour text not null default '#64748b' check (colour ~ '^#[0-9a-fA-F]{6}$'),
  -- Planned hours the team can absorb per working day.
  daily_capacity_minutes integer not null default 480 check (daily_capacity_minutes >= 0),
  created_at timestamptz not null default now(),
  unique (site_id, name)
);

-- One row per auth user; organisation_id ties a person to exactly one tenant.
create table public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  full_name text not null check (length(full_name) between 1 and 200),
  email text not null,
  phone text,
  locale text not null default 'fr' check (locale in ('fr', 'en')),
  team_id uuid references public.teams (id) on delete set null,
  last_site_id uuid references public.sites (id) on delete set null,
  created_at timestamptz not null default now()
);

-- A role at one site, or organisation-wide (site_id null) for director and admin only.
create table public.memberships (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  user_id uuid not null references public.profiles (id) on delete cascade,
  site_id uuid references public.sites (id) on delete cascade,
  role public.app_role not null check (role <> 'client'),
  created_at timestamptz not null default now(),
  check ((site_id is null) = (role in ('director', 'admin')))
);
create unique index memberships_unique_site_role
  on public.memberships (user_id, coalesce(site_id, '00000000-0000-0000-0000-000000000000'::uuid), role);

create table public.client_accounts (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  name text not null check (length(name) between 1 and 200),
  kind text not null default 'rental' check (kind in ('rental', 'manufacturer', 'fleet', 'private')),
  colour text not null default '#0ea5e9' check (colour ~ '^#[0-9a-fA-F]{6}$'),
  billing_email text,
  created_at timestamptz not null default now(),
  unique (organisation_id, name)
);

create table public.client_members (
  client_account_id uuid not null references public.client_accounts (id) on delete cascade,
  user_id uuid not null references public.profiles (id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (client_account_id, user_id)
);

-- ─── indexes on policy columns ───────────────────────────────────────────────────────────────
create index sites_organisation_id_idx on public.sites (organisation_id);
create index teams_site_id_idx on public.teams (site_id);
create index profiles_organisation_id_idx on public.profiles (organisation_id);
create index memberships_user_id_idx on public.memberships (user_id);
create index memberships_site_id_idx on public.memberships (site_id);
create index client_accounts_organisation_id_idx on public.client_accounts (organisation_id);
create index client_members_user_id_idx on public.client_members (user_id);

-- ─── enable RLS ──────────────────────────────────────────────────────────────────────────────
alter table public.organisations enable row level security;
alter table public.sites enable row level security;
alter table public.teams enable row level security;
alter table public.profiles enable row level security;
alter table public.memberships enable row level security;
alter table public.client_accounts enable row level security;
alter table public.client_members enable row level security;

-- ─── grants ──────────────────────────────────────────────────────────────────────────────────
-- Table privileges are wide; the policies below decide. anon gets nothing.
revoke all on all tables in schema public from anon;
grant select, insert, update, delete on
  public.organisations, public.sites, public.teams, public.profiles, public.memberships,
  public.client_accounts, public.client_members
  to authenticated, service_role;

-- ─── helpers ─────────────────────────────────────────────────────────────────────────────────
-- security definer so policies can read memberships without recursing into their own RLS;
-- search_path = '' so nothing can be shadowed.
create schema if not exists private;
grant usage on schema private to authenticated, service_role;

create function private.organisation_id() returns uuid
language sql stable security definer set search_path = ''
as $$
  select p.organisation_id from public.profiles p where p.id = (select auth.uid())
$$;

-- Sites where the caller works as staff (any role but driver), all sites of the organisation
-- for organisation-wide roles.
create function private.staff_site_ids() returns setof uuid
language sql stable security definer set search_path = ''
as $$
  select s.id
  from public.memberships m
  join public.sites s on s.organisation_id = m.organisation_id and (m.site_id is null or m.site_id = s.id)
  where m.user_id = (select auth.uid()) and m.role <> 'driver'
$$;

-- Does the caller hold one of `roles` at `site` (organisation-wide roles count everywhere)?
create function private.has_site_role(site uuid, roles public.app_role[]) returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1
    from public.memberships m
    join public.sites s on s.organisation_id = m.organisation_id and (m.site_id is null or m.site_id = s.id)
    where m.user_id = (select auth.uid()) and s.id = site and m.role = any (roles)
  )
$$;

create function private.has_org_role(roles public.app_role[]) returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.memberships m
    where m.user_id = (select auth.uid()) and m.site_id is null and m.role = any (roles)
  )
$$;

create function private.client_account_ids() returns setof uuid
language sql stable security definer set search_path = ''
as $$
  select cm.client_account_id from public.client_members cm where cm.user_id = (select auth.uid())
$$;

-- Does the caller hold one of `roles` anywhere in the organisation?
create function private.has_any_role(roles public.app_role[]) returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (select 1 from public.memberships m where m.user_id = (select auth.uid()) and m.role = any (roles))
$$;

create function private.is_staff() returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (select 1 from public.memberships m where m.user_id = (select auth.uid()) and m.role <> 'driver')
$$;

revoke all on all functions in schema private from public;
grant execute on all functions in schema private to authenticated, service_role;

-- ─── policies ────────────────────────────────────────────────────────────────────────────────
create policy "members read their organisation" on public.organisations
  for select to authenticated using (id = (select private.organisation_id()));
create policy "admins update their organisation" on public.organisations
  for update to authenticated
  using (id = (select private.organisation_id()) and (select private.has_org_role('{admin}')))
  with check (id = (select private.organisation_id()));

-- Clients read the sites of their organisation: they order from them and documents carry the
-- sites' legal details.
create policy "people of the organisation read its sites" on public.sites
  for select to authenticated using (organisation_id = (select private.organisation_id()));
create policy "admins create sites" on public.sites
  for insert to authenticated
  with check (organisation_id = (select private.organisation_id()) and (select private.has_org_role('{admin}')));
create policy "site managers and admins update a site" on public.sites
  for update to authenticated
  using (private.has_site_role(id, '{site_manager,admin}'))
  with check (organisation_id = (select private.organisation_id()));
create policy "admins delete sites" on public.sites
  for delete to authenticated
  using (organisation_id = (select private.organisation_id()) and (select private.has_org_role('{admin}')));

create policy "site staff read teams" on public.teams
  for select to authenticated using (site_id in (select private.staff_site_ids()));
create policy "leads and managers create teams" on public.teams
  for insert to authenticated with check (private.has_site_role(site_id, '{team_lead,site_manager,admin}'));
create policy "leads and managers update teams" on public.teams
  for update to authenticated
  using (private.has_site_role(site_id, '{team_lead,site_manager,admin}'))
  with check (private.has_site_role(site_id, '{team_lead,site_manager,admin}'));
create policy "managers delete teams" on public.teams
  for delete to authenticated using (private.has_site_role(site_id, '{site_manager,admin}'));

create policy "people read their own profile" on public.profiles
  for select to authenticated using (id = (select auth.uid()));
create policy "staff read profiles of their organisation" on public.profiles
  for select to authenticated
  using (organisation_id = (select private.organisation_id()) and (select private.is_staff()));
create policy "people update their own profile" on public.profiles
  for update to authenticated
  using (id = (select auth.uid()))
  with check (id = (select auth.uid()) and organisation_id = (select private.organisation_id()));
create policy "admins create profiles" on public.profiles
  for insert to authenticated
  with check (organisation_id = (select private.organisation_id()) and (select private.has_org_role('{admin}')));
create policy "admins delete profiles" on public.profiles
  for delete to authenticated
  using (organisation_id = (select private.organisation_id()) and (select private.has_org_role('{admin}')));

create policy "people read their own memberships" on public.memberships
  for select to authenticated using (user_id = (select auth.uid()));
create policy "managers read memberships of their sites" on public.memberships
  for select to authenticated
  using (
    organisation_id = (select private.organisation_id())
    and ((select private.has_org_role('{admin,director}')) or private.has_site_role(site_id, '{site_manager}'))
  );
-- Site managers staff their own site with site roles; only admins grant organisation-wide roles.
create policy "managers grant site roles, admins any" on public.memberships
  for insert to authenticated
  with check (
    organisation_id = (select private.organisation_id())
    and ((select private.has_org_role('{admin}'))
         or (site_id is not null and role not in ('director', 'admin') and private.has_site_role(site_id, '{site_manager}')))
  );
create policy "managers revoke site roles, admins any" on public.memberships
  for delete to authenticated
  using (
    organisation_id = (select private.organisation_id())
    and ((select private.has_org_role('{admin}'))
         or (site_id is not null and role not in ('director', 'admin') and private.has_site_role(site_id, '{site_manager}')))
  );
create policy "admins change memberships" on public.memberships
  for update to authenticated
  using (organisation_id = (select private.organisation_id()) and (select private.has_org_role('{admin}')))
  with check (organisation_id = (select private.organisation_id()));

create policy "staff read client accounts" on public.client_accounts
  for select to authenticated
  using (organisation_id = (select private.organisation_id()) and (select private.is_staff()));
create policy "clients read their own account" on public.client_accounts
  for select to authenticated using (id in (select private.client_account_ids()));
create policy "csms and admins create client accounts" on public.client_accounts
  for insert to authenticated
  with check (
    organisation_id = (select private.organisation_id())
    and (select private.has_any_role('{csm,admin}'))
  );
create policy "csms and admins update client accounts" on public.client_accounts
  for update to authenticated
  using (
    organisation_id = (select private.organisation_id())
    and (select private.has_any_role('{csm,admin}'))
  )
  with check (organisation_id = (select private.organisation_id()));
create policy "admins delete client accounts" on public.client_accounts
  for delete to authenticated
  using (organisation_id = (select private.organisation_id()) and (select private.has_org_role('{admin}')));

create policy "clients read their own membership" on public.client_members
  for select to authenticated using (user_id = (select auth.uid()));
create policy "staff read client members" on public.client_members
  for select to authenticated
  using ((select private.is_staff()) and client_account_id in (
    select ca.id from public.client_accounts ca where ca.organisation_id = (select private.organisation_id())));
create policy "csms and admins add client members" on public.client_members
  for insert to authenticated
  with check (
    (select private.has_any_role('{csm,admin}'))
    and client_account_id in (select ca.id from public.client_accounts ca where ca.organisation_id = (select private.organisation_id()))
  );
create policy "csms and admins remove client members" on public.client_members
  for delete to authenticated
  using (
    (select private.has_any_role('{csm,admin}'))
    and client_account_id in (select ca.id from public.client_accounts ca where ca.organisation_id = (select private.organisation_id()))
  );
