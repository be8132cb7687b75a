-- KPIs: daily figures per site kept up to date by statement-level triggers, and the wall devices
-- that may read them.
--
-- A KPI query over a month reads a few hundred of these rows instead of scanning a million tasks.
-- Every row carries its site_id and is readable only by those who may see that site's figures:
-- site managers of the site, directors and admins of its organisation, and the wall devices an
-- admin created for the organisation or the site. The definitions the columns implement are in
-- src/lib/domain/kpi/definitions.ts.

-- ─── wall devices ────────────────────────────────────────────────────────────────────────────
-- A TV showing the KPI wall signs in with a device token, never with a person's session. The
-- token is shown once when the device is created; only its SHA-256 is stored. The server checks
-- the token on every request and runs the wall's queries with claims whose `sub` is the device
-- id and `relais_device` is true, which only the functions below recognise.
create table public.kpi_devices (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  -- null: the whole organisation.
  site_id uuid references public.sites (id) on delete cascade,
  name text not null check (length(btrim(name)) between 1 and 80),
  token_hash text not null unique check (token_hash ~ '^[0-9a-f]{64}$'),
  -- Revenue and overdue amounts are left off the screen unless the admin allows them.
  shows_money boolean not null default false,
  panels text[] not null check (cardinality(panels) between 1 and 12),
  rotate_seconds integer not null default 20 check (rotate_seconds between 5 and 600),
  created_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz,
  revoked_at timestamptz,
  revoked_by uuid references auth.users (id) on delete set null
);
create index kpi_devices_organisation_idx on public.kpi_devices (organisation_id);

-- Sites the caller manages: as the site manager there, or as a director or admin of the
-- organisation (a set, evaluated once per query, for policies on site-scoped figures).
create function private.managed_site_ids() returns setof uuid
language sql stable security definer set search_path = ''
as $$
  select s.id
  from public.memberships m
  join public.sites s on s.organisation_id = m.organisation_id and (m.site_id is null or m.site_id = s.id)
  where m.user_id = (select auth.uid()) and m.role in ('site_manager', 'director', 'admin')
$$;

-- Sites whose KPIs the caller may read: the ones a person manages, or a wall device's scope
-- while it is not revoked.
create function private.kpi_site_ids() returns setof uuid
language sql stable security definer set search_path = ''
as $$
  select id from private.managed_site_ids() as m (id)
  where coalesce((select auth.jwt() ->> 'relais_device'), '') <> 'true'
  union
  select s.id
  from public.kpi_devices d
  join public.sites s on s.organisation_id = d.organisation_id and (d.site_id is null or d.site_id = s.id)
  where d.id = (select auth.uid()) and d.revoked_at is null
    and coalesce((select auth.jwt() ->> 'relais_device'), '') = 'true'
$$;

-- Of those, the sites whose money figures (revenue, overdue amounts) the caller may read: every
-- one for people (the three roles read invoices), only when allowed for a device.
create function private.kpi_money_site_ids() returns setof uuid
language sql stable security definer set search_path = ''
as $$
  select id from private.kpi_site_ids() as k (id)
  where coalesce((select auth.jwt() ->> 'relais_device'), '') <> 'true'
     or exists (select 1 from public.kpi_devices d where d.id = (select auth.uid()) and d.shows_money)
$$;

-- ─── daily aggregates ────────────────────────────────────────────────────────────────────────
-- vehicles_processed, immobilisation_hours, immobilisation_distribution: vehicles by the day
-- (in the site's zone) they became ready. Hours are summed over those with an arrival time.
create table public.kpi_vehicle_days (
  site_id uuid not null references public.sites (id) on delete cascade,
  day date not null,
  processed integer not null default 0,
  with_arrival integer not null default 0,
  hours_sum double precision not null default 0,
  lt_24h integer not null default 0,
  h24_48 integer not null default 0,
  h48_72 integer not null default 0,
  d3_7 integer not null default 0,
  gte_7d integer not null default 0,
  primary key (site_id, day)
);

-- tasks_planned, tasks_done, workload: tasks by planned day and team, cancelled ones excluded.
create table public.kpi_task_days (
  site_id uuid not null references public.sites (id) on delete cascade,
  day date not null,
  -- No foreign key: a deleted team's tasks lose their team, which moves their counts to null.
  team_id uuid,
  planned integer not null default 0,
  done integer not null default 0,
  planned_minutes bigint not null default 0,
  unique nulls not distinct (site_id, day, team_id)
);

-- revenue_cents: issued invoices minus issued credit notes, net, by issue day.
create table public.kpi_invoice_days (
  site_id uuid not null references public.sites (id) on delete cascade,
  day date not null,
  revenue_cents bigint not null default 0,
  primary key (site_id, day)
);

-- The statement adding the contribution of a set of rows to an aggregate, +1 or −1 each.
-- `source` selects the counted columns and `sign` from the trigger's transition tables (or from
-- the table itself for a rebuild). It is run by the trigger function itself: transition tables
-- are visible only there, not in functions it calls.
create function private.kpi_statement(target text, source text) returns text
language sql immutable set search_path = ''
as $$
  select format(case target
    when 'vehicles' then $q$
    insert into public.kpi_vehicle_days as k
      (site_id, day, processed, with_arrival, hours_sum, lt_24h, h24_48, h48_72, d3_7, gte_7d)
    select d.site_id, (d.ready_at at time zone s.timezone)::date,
           sum(d.sign), coalesce(sum(d.sign) filter (where d.hours is not null), 0), coalesce(sum(d.sign * d.hours), 0),
           coalesce(sum(d.sign) filter (where d.hours < 24), 0),
           coalesce(sum(d.sign) filter (where d.hours >= 24 and d.hours < 48), 0),
           coalesce(sum(d.sign) filter (where d.hours >= 48 and d.hours < 72), 0),
           coalesce(sum(d.sign) filter (where d.hours >= 72 and d.hours < 168), 0),
           coalesce(sum(d.sign) filter (where d.hours >= 168), 0)
    from (select site_id, ready_at, sign, extract(epoch from (ready_at - arrived_at))::float8 / 3600 as hours
          from (%s) r where ready_at is not null) d
    join public.sites s on s.id = d.site_id
    group by 1, 2
    on conflict (site_id, day) do update set
      processed = k.processed + excluded.processed,
      with_arrival = k.with_arrival + excluded.with_arrival,
      hours_sum = k.hours_sum + excluded.hours_sum,
      lt_24h = k.lt_24h + excluded.lt_24h, h24_48 = k.h24_48 + excluded.h24_48,
      h48_72 = k.h48_72 + excluded.h48_72, d3_7 = k.d3_7 + excluded.d3_7, gte_7d = k.gte_7d + excluded.gte_7d
  $q$
    when 'tasks' then $q$
    insert into public.kpi_task_days as k (site_id, day, team_id, planned, done, planned_minutes)
    select site_id, planned_on, team_id, sum(sign),
           coalesce(sum(sign) filter (where status in ('done', 'validated')), 0),
           coalesce(sum(sign * estimated_minutes), 0)
    from (%s) r
    where planned_on is not null and status <> 'cancelled'
    group by 1, 2, 3
    on conflict (site_id, day, team_id) do update set
      planned = k.planned + excluded.planned, done = k.done + excluded.done,
      planned_minutes = k.planned_minutes + excluded.planned_minutes
  $q$
    when 'invoices' then $q$
    insert into public.kpi_invoice_days as k (site_id, day, revenue_cents)
    select site_id, issued_on, sum(sign * case when kind = 'invoice' then net_cents else -net_cents end)
    from (%s) r
    where status <> 'draft' and issued_on is not null
    group by 1, 2
    on conflict (site_id, day) do update set revenue_cents = k.revenue_cents + excluded.revenue_cents
  $q$
  end, source)
$$;

-- One trigger function for the three tables; the operation picks which transition tables feed
-- the sums, and only updates that change a counted column contribute, so the planning board
-- moving cards within a day costs nothing here.
create function private.kpi_track() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  columns text := tg_argv[0];
  added text := format('select %s, 1 as sign from new_rows', columns);
  removed text := format('select %s, -1 as sign from old_rows', columns);
  -- For updates: the rows whose counted columns changed, before (−1) and after (+1).
  changed text := format(
    'select %1$s, 1 as sign from new_rows n where exists (select from old_rows o where o.id = n.id and (%2$s) is distinct from (%3$s))
     union all
     select %1$s, -1 as sign from old_rows n where exists (select from new_rows o where o.id = n.id and (%2$s) is distinct from (%3$s))',
    columns,
    (select string_agg('o.' || c, ', ') from unnest(string_to_array(columns, ', ')) c),
    (select string_agg('n.' || c, ', ') from unnest(string_to_array(columns, ', ')) c));
  source text := case tg_op when 'INSERT' then added when 'DELETE' then removed else changed end;
begin
  execute private.kpi_statement(tg_table_name, source);
  return null;
end
$$;

-- Transition tables allow one event per trigger, hence three per table.
create trigger kpi_insert after insert on public.vehicles referencing new table as new_rows
  for each statement execute function private.kpi_track('site_id, ready_at, arrived_at');
create trigger kpi_update after update on public.vehicles referencing old table as old_rows new table as new_rows
  for each statement execute function private.kpi_track('site_id, ready_at, arrived_at');
create trigger kpi_delete after delete on public.vehicles referencing old table as old_rows
  for each statement execute function private.kpi_track('site_id, ready_at, arrived_at');

create trigger kpi_insert after insert on public.tasks referencing new table as new_rows
  for each statement execute function private.kpi_track('site_id, planned_on, team_id, status, estimated_minutes');
-- Task updates are the hot path (every card the planning board moves, every task a phone starts
-- or finishes): the same sums as kpi_statement('tasks', …), written out so the plan is cached
-- rather than made for each update (0.1 ms added per update instead of 0.4 ms). Every row is
-- counted out (−1) and back in (+1) and groups whose sums cancel are skipped, which needs no join
-- of the transition tables (a cached plan cannot size that join for a bulk update).
create function private.kpi_track_task_updates() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  insert into public.kpi_task_days as k (site_id, day, team_id, planned, done, planned_minutes)
  select site_id, planned_on, team_id, sum(sign),
         coalesce(sum(sign) filter (where status in ('done', 'validated')), 0),
         coalesce(sum(sign * estimated_minutes), 0)
  from (
    select site_id, planned_on, team_id, status, estimated_minutes, 1 as sign from new_rows
    union all
    select site_id, planned_on, team_id, status, estimated_minutes, -1 from old_rows
  ) r
  where planned_on is not null and status <> 'cancelled'
  group by 1, 2, 3
  having sum(sign) <> 0
      or coalesce(sum(sign) filter (where status in ('done', 'validated')), 0) <> 0
      or coalesce(sum(sign * estimated_minutes), 0) <> 0
  on conflict (site_id, day, team_id) do update set
    planned = k.planned + excluded.planned, done = k.done + excluded.done,
    planned_minutes = k.planned_minutes + excluded.planned_minutes;
  return null;
end
$$;
create trigger kpi_update after update on public.tasks referencing old table as old_rows new table as new_rows
  for each statement execute function private.kpi_track_task_updates();
create trigger kpi_delete after delete on public.tasks referencing old table as old_rows
  for each statement execute function private.kpi_track('site_id, planned_on, team_id, status, estimated_minutes');

create trigger kpi_insert after insert on public.invoices referencing new table as new_rows
  for each statement execute function private.kpi_track('site_id, issued_on, kind, status, net_cents');
create trigger kpi_update after update on public.invoices referencing old table as old_rows new table as new_rows
  for each statement execute function private.kpi_track('site_id, issued_on, kind, status, net_cents');
create trigger kpi_delete after delete on public.invoices referencing old table as old_rows
  for each statement execute function private.kpi_track('site_id, issued_on, kind, status, net_cents');

-- Recomputes the aggregates of some sites (all when null) from the rows: after a bulk load that
-- bypassed triggers, or after a site's time zone changed (vehicle days are local days).
create function private.kpi_rebuild(sites uuid[] default null) returns void
language plpgsql security definer set search_path = ''
as $$
declare
  only_sites text := case when sites is null then 'true' else format('site_id = any (%L::uuid[])', sites) end;
begin
  delete from public.kpi_vehicle_days where sites is null or site_id = any (sites);
  delete from public.kpi_task_days where sites is null or site_id = any (sites);
  delete from public.kpi_invoice_days where sites is null or site_id = any (sites);
  execute private.kpi_statement('vehicles', 'select site_id, ready_at, arrived_at, 1 as sign from public.vehicles where ' || only_sites);
  execute private.kpi_statement('tasks', 'select site_id, planned_on, team_id, status, estimated_minutes, 1 as sign from public.tasks where ' || only_sites);
  execute private.kpi_statement('invoices', 'select site_id, issued_on, kind, status, net_cents, 1 as sign from public.invoices where ' || only_sites);
end
$$;

select private.kpi_rebuild();

-- Drill-downs list the rows behind a figure from the raw tables: the done tasks of a period and
-- the vehicles that became ready in it, without reading every task or vehicle of the site.
create index tasks_done_planned_on_idx on public.tasks (site_id, planned_on) where status in ('done', 'validated');
create index vehicles_site_ready_at_idx on public.vehicles (site_id, ready_at) where ready_at is not null;
-- The planning board's migration created the same index as the operations one under another name.
drop index public.tasks_site_planned_on_idx;

-- ─── states at a moment ──────────────────────────────────────────────────────────────────────
-- open_transfers, overdue_invoices, overdue_tickets are states at the period's end (or now, while
-- it runs), not sums of days: they are computed from the rows, for the requested sites the caller
-- may read KPIs of, amounts only where they may read money. One row per site and a consolidated
-- row (site_id null) where a transfer between two listed sites counts once. (Parameter names must
-- not be column names: a column of the same name wins inside the body, invoices.period_end did.)
create function private.kpi_states(requested uuid[], end_day date)
returns table (site_id uuid, open_transfers integer, overdue_invoices integer, overdue_cents bigint, overdue_tickets integer)
language sql stable security definer set search_path = ''
as $$
  with allowed as (
    select id from private.kpi_site_ids() as k (id) where id = any (requested)
  ),
  money_sites as (
    select id from private.kpi_money_site_ids() as k (id) where id = any (requested)
  ),
  period_upper as (
    select s.id, ((end_day + 1)::timestamp at time zone s.timezone) as upper
    from public.sites s where s.id in (select id from allowed)
  ),
  -- Requested by the period's end and, at that moment, neither delivered, received nor
  -- cancelled: the last step recorded before the end, or the current status when none is.
  open_at_end as (
    select t.id, t.from_site_id, t.to_site_id
    from public.transfers t join period_upper p on p.id = t.from_site_id or p.id = t.to_site_id
    where t.created_at < p.upper
      and coalesce(
            (select e.status from public.transfer_events e
              where e.transfer_id = t.id and e.occurred_at < p.upper
              order by e.occurred_at desc limit 1),
            case when exists (select 1 from public.transfer_events e where e.transfer_id = t.id)
                 then 'requested'::public.transfer_status else t.status end
          ) not in ('delivered', 'received', 'cancelled')
  ),
  open_counts as (
    select x.site_id, grouping(x.site_id) = 1 as total, count(distinct o.id)::int as n
    from open_at_end o cross join lateral unnest(array[o.from_site_id, o.to_site_id]) as x (site_id)
    join allowed a on a.id = x.site_id
    group by grouping sets ((x.site_id), ())
  ),
  -- At the period's end: marked overdue, or issued or sent and due before its last day.
  overdue_counts as (
    select i.site_id, grouping(i.site_id) = 1 as total, count(*)::int as n, sum(i.gross_cents)::bigint as cents
    from public.invoices i join money_sites m on m.id = i.site_id
    where i.kind = 'invoice' and i.status <> 'draft'
      and i.issued_on <= end_day
      and (i.status = 'overdue' or (i.status in ('issued', 'sent') and i.due_on < end_day))
    group by grouping sets ((i.site_id), ())
  ),
  -- The inbox rule (threads/service.ts): awaiting an answer for longer than the organisation's
  -- response target, at the period's end or now while it runs.
  ticket_counts as (
    select t.site_id, grouping(t.site_id) = 1 as total, count(*)::int as n
    from public.ticket_threads t
    join period_upper p on p.id = t.site_id
    join public.sites s on s.id = t.site_id
    join public.organisations o on o.id = s.organisation_id
    where t.status <> 'resolved'
      and t.awaiting_since < least(now(), p.upper) - make_interval(mins => o.response_target_minutes)
    group by grouping sets ((t.site_id), ())
  ),
  keys as (
    select id as site_id, false as total from allowed
    union all select null, true where exists (select from allowed)
  )
  select k.site_id, coalesce(tr.n, 0),
         case when k.total and exists (select from money_sites) or k.site_id in (select id from money_sites) then coalesce(i.n, 0) end,
         case when k.total and exists (select from money_sites) or k.site_id in (select id from money_sites) then coalesce(i.cents, 0) end,
         coalesce(tk.n, 0)
  from keys k
  left join open_counts tr on tr.total = k.total and tr.site_id is not distinct from k.site_id
  left join overdue_counts i on i.total = k.total and i.site_id is not distinct from k.site_id
  left join ticket_counts tk on tk.total = k.total and tk.site_id is not distinct from k.site_id
$$;

-- Teams of the requested sites the caller reads KPIs of, for the workload panel: their names and
-- capacities only (a wall device reads no team rows otherwise).
create function private.kpi_teams(requested uuid[])
returns table (id uuid, site_id uuid, name text, daily_capacity_minutes integer)
language sql stable security definer set search_path = ''
as $$
  select t.id, t.site_id, t.name, t.daily_capacity_minutes
  from public.teams t
  where t.site_id = any (requested) and t.site_id in (select private.kpi_site_ids())
$$;

-- ─── access ──────────────────────────────────────────────────────────────────────────────────
alter table public.kpi_devices enable row level security;
alter table public.kpi_vehicle_days enable row level security;
alter table public.kpi_task_days enable row level security;
alter table public.kpi_invoice_days enable row level security;

-- Admins choose what a device shows, never its id (device claims carry it as `sub`) nor who
-- created it; an update is a revocation and nothing else (the guard below makes it final).
grant select on public.kpi_devices to authenticated;
grant insert (organisation_id, site_id, name, token_hash, shows_money, panels, rotate_seconds, created_by)
  on public.kpi_devices to authenticated;
grant update (revoked_at, revoked_by) on public.kpi_devices to authenticated;
grant select on public.kpi_vehicle_days, public.kpi_task_days, public.kpi_invoice_days to authenticated;
grant select, insert, update, delete on public.kpi_devices, public.kpi_vehicle_days, public.kpi_task_days,
  public.kpi_invoice_days to service_role;

create policy "readers of a site's KPIs read its days" on public.kpi_vehicle_days
  for select to authenticated using (site_id in (select private.kpi_site_ids()));
create policy "readers of a site's KPIs read its days" on public.kpi_task_days
  for select to authenticated using (site_id in (select private.kpi_site_ids()));
create policy "readers of a site's money read its revenue" on public.kpi_invoice_days
  for select to authenticated using (site_id in (select private.kpi_money_site_ids()));
-- A wall device has no profile, hence no organisation: it reads the sites it shows (code, name,
-- time zone for "today") through this policy; people already read their organisation's sites.
create policy "wall devices read the sites they show" on public.sites
  for select to authenticated
  using (coalesce((select auth.jwt() ->> 'relais_device'), '') = 'true' and id in (select private.kpi_site_ids()));

create policy "admins read their organisation's devices" on public.kpi_devices
  for select to authenticated
  using (organisation_id = (select private.organisation_id()) and (select private.has_org_role('{admin}')));
create policy "admins create devices" on public.kpi_devices
  for insert to authenticated
  with check (
    organisation_id = (select private.organisation_id()) and (select private.has_org_role('{admin}'))
    and created_by = (select auth.uid()) and revoked_at is null
    and (site_id is null or exists (select 1 from public.sites s where s.id = site_id and s.organisation_id = kpi_devices.organisation_id))
  );
create policy "admins revoke devices" on public.kpi_devices
  for update to authenticated
  using (organisation_id = (select private.organisation_id()) and (select private.has_org_role('{admin}')))
  with check (revoked_at is not null and revoked_by = (select auth.uid()));

-- A revoked device stays revoked: its token is dead, a new device gets a new one.
create function private.guard_kpi_device() returns trigger
language plpgsql set search_path = ''
as $$
begin
  if old.revoked_at is not null then
    raise exception 'device % is revoked', old.id using errcode = 'check_violation';
  end if;
  return new;
end
$$;
create trigger guard before update on public.kpi_devices
  for each row execute function private.guard_kpi_device();

revoke all on function private.managed_site_ids(), private.kpi_site_ids(), private.kpi_money_site_ids(), private.kpi_statement(text, text), private.kpi_track(), private.kpi_track_task_updates(), private.kpi_rebuild(uuid[]),
  private.kpi_states(uuid[], date), private.kpi_teams(uuid[]), private.guard_kpi_device() from public;
grant execute on function private.managed_site_ids(), private.kpi_site_ids(), private.kpi_money_site_ids(), private.kpi_states(uuid[], date),
  private.kpi_teams(uuid[])
  to authenticated, service_role;
grant execute on function private.kpi_rebuild(uuid[]) to service_role;

-- Revoking a device ends its open screens: the realtime server disconnects the device's sockets
-- when it hears this change. Only the revocation is captured (not `last_seen_at`, which every
-- visit of the wall moves), and routed to no room: staff of the site have no business with it.
-- Not in the audit trail, whose rows the site's staff read: the row itself keeps who created and
-- who revoked it, and when.
create trigger capture_change after update of revoked_at on public.kpi_devices
  for each row when (old.revoked_at is null and new.revoked_at is not null)
  execute function private.capture_change('', '', '');
