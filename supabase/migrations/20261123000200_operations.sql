-- Operations: vehicles, yard layout, service catalogue and prices, orders and tasks, gate
-- movements and inspections, transfers. Every row carries its site_id (and client_account_id
-- where a client owns it) so that policies and live routing need no joins.
-- Sections: types → tables → indexes → enable RLS → grants → policies.

-- ─── types ──────────────────────────────────────────────────────────────────────────────────
create type public.energy as enum ('petrol', 'diesel', 'hybrid', 'plugin_hybrid', 'electric', 'lpg');
create type public.vehicle_status as enum (
  'expected', 'on_site', 'in_service', 'ready', 'in_transit', 'delivered', 'in_stock', 'reserved', 'sold'
);
create type public.zone_kind as enum ('reception', 'wash', 'workshop', 'bodywork', 'parking', 'ready');
create type public.task_status as enum ('todo', 'planned', 'in_progress', 'done', 'validated', 'cancelled');
create type public.movement_kind as enum ('gate_in', 'gate_out', 'bay_move');
create type public.transfer_status as enum (
  'requested', 'approved', 'driver_assigned', 'picked_up', 'in_transit', 'delivered', 'received', 'cancelled'
);

-- ─── tables ─────────────────────────────────────────────────────────────────────────────────
create table public.yard_zones (
  id uuid primary key default gen_random_uuid(),
  site_id uuid not null references public.sites (id) on delete cascade,
  code text not null,
  name text not null,
  kind public.zone_kind not null,
  geometry jsonb not null, -- GeoJSON Polygon
  created_at timestamptz not null default now(),
  unique (site_id, code)
);

create table public.bays (
  id uuid primary key default gen_random_uuid(),
  site_id uuid not null references public.sites (id) on delete cascade,
  zone_id uuid not null references public.yard_zones (id) on delete cascade,
  number text not null,
  geometry jsonb not null, -- GeoJSON Polygon
  -- Walking order from the entrance, used to suggest the nearest free bay.
  rank integer not null default 0,
  unique (site_id, number)
);

create table public.vehicles (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  site_id uuid not null references public.sites (id),
  bay_id uuid references public.bays (id) on delete set null,
  -- Owner for vehicles handled for a client; null for a dealer's own stock.
  client_account_id uuid references public.client_accounts (id),
  vin text not null check (vin ~ '^[A-HJ-NPR-Z0-9]{17}$'),
  plate text check (plate ~ '^[A-Z0-9-]{4,12}$'),
  make text not null,
  model text not null,
  energy public.energy not null,
  mileage_km integer not null default 0 check (mileage_km >= 0),
  colour text,
  status public.vehicle_status not null default 'expected',
  purchase_price_cents bigint check (purchase_price_cents >= 0),
  sale_price_cents bigint check (sale_price_cents >= 0),
  stocked_on date,
  arrived_at timestamptz,
  ready_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (organisation_id, vin)
);

create table public.services (
  id uuid primary key default gen_random_uuid(),
  site_id uuid not null references public.sites (id) on delete cascade,
  code text not null check (code ~ '^[A-Z0-9_]{2,24}$'),
  name_fr text not null,
  name_en text not null,
  zone_kind public.zone_kind not null,
  default_minutes integer not null check (default_minutes > 0),
  active boolean not null default true,
  unique (site_id, code)
);

-- A price applies to a service at a site, optionally for one client, between two dates.
create table public.prices (
  id uuid primary key default gen_random_uuid(),
  site_id uuid not null references public.sites (id) on delete cascade,
  service_id uuid not null references public.services (id) on delete cascade,
  client_account_id uuid references public.client_accounts (id) on delete cascade,
  unit_price_cents integer not null check (unit_price_cents >= 0),
  valid_from date not null,
  valid_to date,
  check (valid_to is null or valid_to >= valid_from)
);

create table public.orders (
  id uuid primary key default gen_random_uuid(),
  site_id uuid not null references public.sites (id),
  client_account_id uuid not null references public.client_accounts (id),
  reference text not null,
  deadline date not null,
  status text not null default 'open' check (status in ('open', 'closed', 'cancelled')),
  notes text,
  created_by uuid references public.profiles (id) default auth.uid(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (site_id, reference)
);

-- One vehicle × one service, priced when created: later price changes never touch it.
create table public.tasks (
  id uuid primary key default gen_random_uuid(),
  site_id uuid not null references public.sites (id),
  client_account_id uuid not null references public.client_accounts (id),
  order_id uuid not null references public.orders (id) on delete cascade,
  vehicle_id uuid not null references public.vehicles (id),
  service_id uuid not null references public.services (id),
  team_id uuid references public.teams (id) on delete set null,
  assignee_id uuid references public.profiles (id) on delete set null,
  planned_on date,
  estimated_minutes integer not null check (estimated_minutes > 0),
  price_cents integer not null check (price_cents >= 0),
  status public.task_status not null default 'todo',
  started_at timestamptz,
  completed_at timestamptz,
  comment text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table public.movements (
  id uuid primary key default gen_random_uuid(),
  site_id uuid not null references public.sites (id),
  client_account_id uuid references public.client_accounts (id),
  vehicle_id uuid not null references public.vehicles (id),
  kind public.movement_kind not null,
  bay_id uuid references public.bays (id) on delete set null,
  occurred_at timestamptz not null default now(),
  recorded_by uuid references public.profiles (id) default auth.uid(),
  -- Set by the phone so an action replayed after a poor connection is recorded once.
  idempotency_key text unique
);

create table public.inspections (
  id uuid primary key default gen_random_uuid(),
  site_id uuid not null references public.sites (id),
  client_account_id uuid references public.client_accounts (id),
  vehicle_id uuid not null references public.vehicles (id),
  movement_id uuid references public.movements (id) on delete set null,
  mileage_km integer check (mileage_km >= 0),
  energy_level_percent integer check (energy_level_percent between 0 and 100),
  damages jsonb not null default '[]'::jsonb,
  photos jsonb not null default '[]'::jsonb,
  comments text,
  created_by uuid references public.profiles (id) default auth.uid(),
  created_at timestamptz not null default now()
);

create table public.transfers (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  vehicle_id uuid not null references public.vehicles (id),
  from_site_id uuid not null references public.sites (id),
  -- null for a delivery to a client address.
  to_site_id uuid references public.sites (id),
  client_account_id uuid references public.client_accounts (id),
  delivery_address text,
  status public.transfer_status not null default 'requested',
  reason text not null check (length(reason) between 1 and 500),
  driver_id uuid references public.profiles (id),
  requested_by uuid references public.profiles (id) default auth.uid(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (to_site_id is not null or delivery_address is not null),
  check (to_site_id is distinct from from_site_id)
);

-- Who moved a transfer to which status, when and why.
create table public.transfer_events (
  id uuid primary key default gen_random_uuid(),
  transfer_id uuid not null references public.transfers (id) on delete cascade,
  from_site_id uuid not null references public.sites (id),
  to_site_id uuid references public.sites (id),
  client_account_id uuid references public.client_accounts (id),
  driver_id uuid references public.profiles (id),
  status public.transfer_status not null,
  note text,
  actor_id uuid references public.profiles (id) default auth.uid(),
  occurred_at timestamptz not null default now()
);

-- ─── indexes ─────────────────────────────────────────────────────────────────────────────────
create index yard_zones_site_id_idx on public.yard_zones (site_id);
create index bays_site_id_idx on public.bays (site_id);
create index bays_zone_id_idx on public.bays (zone_id);
create index vehicles_site_id_idx on public.vehicles (site_id);
create index vehicles_client_account_id_idx on public.vehicles (client_account_id);
create index vehicles_organisation_id_idx on public.vehicles (organisation_id);
create index vehicles_plate_idx on public.vehicles (plate);
create unique index vehicles_one_per_bay on public.vehicles (bay_id) where bay_id is not null;
create index services_site_id_idx on public.services (site_id);
create index prices_service_id_idx on public.prices (service_id, valid_from);
create index prices_site_id_idx on public.prices (site_id);
create index orders_site_id_idx on public.orders (site_id);
create index orders_client_account_id_idx on public.orders (client_account_id);
create index tasks_site_id_planned_on_idx on public.tasks (site_id, planned_on);
create index tasks_client_account_id_idx on public.tasks (client_account_id);
create index tasks_order_id_idx on public.tasks (order_id);
create index tasks_vehicle_id_idx on public.tasks (vehicle_id);
create index movements_site_id_idx on public.movements (site_id);
create index movements_vehicle_id_idx on public.movements (vehicle_id, occurred_at);
create index movements_client_account_id_idx on public.movements (client_account_id);
create index inspections_site_id_idx on public.inspections (site_id);
create index inspections_vehicle_id_idx on public.inspections (vehicle_id);
create index inspections_client_account_id_idx on public.inspections (client_account_id);
create index transfers_from_site_id_idx on public.transfers (from_site_id);
create index transfers_to_site_id_idx on public.transfers (to_site_id);
create index transfers_driver_id_idx on public.transfers (driver_id);
create index transfers_client_account_id_idx on public.transfers (client_account_id);
-- A vehicle is in at most one open transfer.
create unique index transfers_one_open_per_vehicle on public.transfers (vehicle_id)
  where status not in ('received', 'cancelled');
create index transfer_events_transfer_id_idx on public.transfer_events (transfer_id);

-- ─── enable RLS ──────────────────────────────────────────────────────────────────────────────
alter table public.yard_zones enable row level security;
alter table public.bays enable row level security;
alter table public.vehicles enable row level security;
alter table public.services enable row level security;
alter table public.prices enable row level security;
alter table public.orders enable row level security;
alter table public.tasks enable row level security;
alter table public.movements enable row level security;
alter table public.inspections enable row level security;
alter table public.transfers enable row level security;
alter table public.transfer_events enable row level security;

-- ─── grants ──────────────────────────────────────────────────────────────────────────────────
grant select, insert, update, delete on
  public.yard_zones, public.bays, public.vehicles, public.services, public.prices, public.orders,
  public.tasks, public.transfers
  to authenticated, service_role;
-- Gate records and transfer steps are facts: corrected by a new row, never edited.
grant select, insert on public.movements, public.inspections, public.transfer_events to authenticated;
grant select, insert, update, delete on public.movements, public.inspections, public.transfer_events to service_role;

-- ─── policies ────────────────────────────────────────────────────────────────────────────────
-- yard layout
create policy "site staff read yard zones" on public.yard_zones
  for select to authenticated using (site_id in (select private.staff_site_ids()));
create policy "managers edit yard zones" on public.yard_zones
  for all to authenticated
  using (private.has_site_role(site_id, '{site_manager,admin}'))
  with check (private.has_site_role(site_id, '{site_manager,admin}'));
create policy "site staff read bays" on public.bays
  for select to authenticated using (site_id in (select private.staff_site_ids()));
create policy "managers edit bays" on public.bays
  for all to authenticated
  using (private.has_site_role(site_id, '{site_manager,admin}'))
  with check (private.has_site_role(site_id, '{site_manager,admin}'));

-- vehicles
create policy "site staff read vehicles at their sites" on public.vehicles
  for select to authenticated using (site_id in (select private.staff_site_ids()));
create policy "clients read their own vehicles" on public.vehicles
  for select to authenticated using (client_account_id in (select private.client_account_ids()));
-- Sales people see the whole group's dealer stock when the organisation allows it.
create policy "sales read group stock when allowed" on public.vehicles
  for select to authenticated
  using (
    client_account_id is null
    and organisation_id = (select private.organisation_id())
    and (select private.has_any_role('{sales}'))
    and coalesce((select (o.settings ->> 'sales_see_group_stock')::boolean
                  from public.organisations o where o.id = (select private.organisation_id())), false)
  );
create policy "drivers read vehicles they convey" on public.vehicles
  for select to authenticated
  using (id in (select t.vehicle_id from public.transfers t where t.driver_id = (select auth.uid())));
create policy "site staff register vehicles" on public.vehicles
  for insert to authenticated
  with check (
    organisation_id = (select private.organisation_id())
    and private.has_site_role(site_id, '{operator,team_lead,csm,sales,site_manager,admin}')
  );
create policy "site staff update vehicles" on public.vehicles
  for update to authenticated
  using (private.has_site_role(site_id, '{operator,team_lead,csm,sales,site_manager,admin}'))
  with check (
    organisation_id = (select private.organisation_id())
    and private.has_site_role(site_id, '{operator,team_lead,csm,sales,site_manager,director,admin}')
  );
create policy "managers delete vehicles" on public.vehicles
  for delete to authenticated using (private.has_site_role(site_id, '{site_manager,admin}'));

-- catalogue and prices
create policy "site staff read services" on public.services
  for select to authenticated using (site_id in (select private.staff_site_ids()));
create policy "clients read the organisation's services" on public.services
  for select to authenticated
  using (active and exists (select 1 from private.client_account_ids())
         and site_id in (select s.id from public.sites s where s.organisation_id = (select private.organisation_id())));
create policy "managers edit services" on public.services
  for all to authenticated
  using (private.has_site_role(site_id, '{site_manager,admin}'))
  with check (private.has_site_role(site_id, '{site_manager,admin}'));
create policy "site staff read prices" on public.prices
  for select to authenticated using (site_id in (select private.staff_site_ids()));
create policy "managers edit prices" on public.prices
  for all to authenticated
  using (private.has_site_role(site_id, '{site_manager,admin}'))
  with check (private.has_site_role(site_id, '{site_manager,admin}'));

-- orders and tasks
create policy "site staff read orders" on public.orders
  for select to authenticated using (site_id in (select private.staff_site_ids()));
create policy "clients read their orders" on public.orders
  for select to authenticated using (client_account_id in (select private.client_account_ids()));
create policy "csms and managers create orders" on public.orders
  for insert to authenticated with check (private.has_site_role(site_id, '{csm,site_manager,admin}'));
create policy "clients place orders for their account" on public.orders
  for insert to authenticated
  with check (
    client_account_id in (select private.client_account_ids())
    and site_id in (select s.id from public.sites s where s.organisation_id = (select private.organisation_id()))
  );
create policy "site staff update orders" on public.orders
  for update to authenticated
  using (private.has_site_role(site_id, '{team_lead,csm,site_manager,admin}'))
  with check (private.has_site_role(site_id, '{team_lead,csm,site_manager,admin}'));
create policy "managers delete orders" on public.orders
  for delete to authenticated using (private.has_site_role(site_id, '{site_manager,admin}'));

create policy "site staff read tasks" on public.tasks
  for select to authenticated using (site_id in (select private.staff_site_ids()));
create policy "clients read their tasks" on public.tasks
  for select to authenticated using (client_account_id in (select private.client_account_ids()));
create policy "csms and managers create tasks" on public.tasks
  for insert to authenticated with check (private.has_site_role(site_id, '{csm,site_manager,admin}'));
create policy "clients create tasks of their own orders" on public.tasks
  for insert to authenticated
  with check (
    client_account_id in (select private.client_account_ids())
    and order_id in (select o.id from public.orders o where o.client_account_id in (select private.client_account_ids()))
  );
create policy "site staff update tasks" on public.tasks
  for update to authenticated
  using (private.has_site_role(site_id, '{operator,team_lead,csm,site_manager,admin}'))
  with check (private.has_site_role(site_id, '{operator,team_lead,csm,site_manager,admin}'));
create policy "csms and managers delete tasks" on public.tasks
  for delete to authenticated using (private.has_site_role(site_id, '{csm,site_manager,admin}'));

-- gate movements and inspections
create policy "site staff read movements" on public.movements
  for select to authenticated using (site_id in (select private.staff_site_ids()));
create policy "clients read movements of their vehicles" on public.movements
  for select to authenticated using (client_account_id in (select private.client_account_ids()));
create policy "yard staff record movements" on public.movements
  for insert to authenticated
  with check (private.has_site_role(site_id, '{operator,team_lead,site_manager,admin}') and recorded_by = (select auth.uid()));

create policy "site staff read inspections" on public.inspections
  for select to authenticated using (site_id in (select private.staff_site_ids()));
create policy "clients read inspections of their vehicles" on public.inspections
  for select to authenticated using (client_account_id in (select private.client_account_ids()));
create policy "yard staff record inspections" on public.inspections
  for insert to authenticated
  with check (private.has_site_role(site_id, '{operator,team_lead,site_manager,admin}') and created_by = (select auth.uid()));

-- transfers
create policy "staff of either site read transfers" on public.transfers
  for select to authenticated
  using (from_site_id in (select private.staff_site_ids()) or to_site_id in (select private.staff_site_ids()));
create policy "drivers read their assignments" on public.transfers
  for select to authenticated using (driver_id = (select auth.uid()));
create policy "clients read deliveries to them" on public.transfers
  for select to authenticated using (client_account_id in (select private.client_account_ids()));
create policy "sending staff request transfers" on public.transfers
  for insert to authenticated
  with check (
    organisation_id = (select private.organisation_id())
    and private.has_site_role(from_site_id, '{sales,csm,site_manager,director,admin}')
  );
create policy "managers of either site move transfers on" on public.transfers
  for update to authenticated
  using (private.has_site_role(from_site_id, '{site_manager,director,admin}')
         or private.has_site_role(to_site_id, '{site_manager,director,admin}'))
  with check (organisation_id = (select private.organisation_id()));
create policy "drivers move their own assignments on" on public.transfers
  for update to authenticated
  using (driver_id = (select auth.uid()))
  with check (driver_id = (select auth.uid()));
create policy "admins delete transfers" on public.transfers
  for delete to authenticated using (private.has_site_role(from_site_id, '{admin}'));

create policy "who sees a transfer sees its steps" on public.transfer_events
  for select to authenticated using (transfer_id in (select t.id from public.transfers t));
create policy "who moves a transfer records its steps" on public.transfer_events
  for insert to authenticated
  with check (
    actor_id = (select auth.uid())
    and (private.has_site_role(from_site_id, '{sales,csm,site_manager,director,admin}')
         or private.has_site_role(to_site_id, '{site_manager,director,admin}')
         or driver_id = (select auth.uid()))
  );

-- ─── bookkeeping ─────────────────────────────────────────────────────────────────────────────
create function private.touch_updated_at() returns trigger
language plpgsql set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end
$$;

create trigger touch_updated_at before update on public.vehicles
  for each row execute function private.touch_updated_at();
create trigger touch_updated_at before update on public.orders
  for each row execute function private.touch_updated_at();
create trigger touch_updated_at before update on public.tasks
  for each row execute function private.touch_updated_at();
create trigger touch_updated_at before update on public.transfers
  for each row execute function private.touch_updated_at();
