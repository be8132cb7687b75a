-- Change capture for live updates. Every change of a watched table appends one row to
-- change_log (monotonic id + routing keys) and notifies its id on channel `relais_changes`.
-- Each app node LISTENs once, reads the row once, and fans it out to socket.io rooms:
--   site:<id>    staff of the site (organisation-wide roles join every site of theirs)
--   client:<id>  members of a client account (never internal rows)
--   user:<id>    one person (notifications, a driver's assignments, their own memberships)
-- Invariant kept by the policies of each watched table: whoever is in a room a change is
-- routed to may select the changed row. The policy on change_log states the same routing, so a
-- reconnecting screen catches up with a plain select run as the user.

-- ─── tables ─────────────────────────────────────────────────────────────────────────────────
create table public.change_log (
  id bigint generated always as identity primary key,
  table_name text not null,
  op text not null check (op in ('insert', 'update', 'delete')),
  row_id uuid,
  site_ids uuid[] not null default '{}',
  client_account_id uuid,
  user_id uuid,
  internal boolean not null default false,
  committed_at timestamptz not null default clock_timestamp()
);

-- ─── indexes ─────────────────────────────────────────────────────────────────────────────────
create index change_log_site_ids_idx on public.change_log using gin (site_ids);
create index change_log_client_account_id_idx on public.change_log (client_account_id, id);
create index change_log_user_id_idx on public.change_log (user_id, id);

-- ─── enable RLS ──────────────────────────────────────────────────────────────────────────────
alter table public.change_log enable row level security;

-- ─── grants ──────────────────────────────────────────────────────────────────────────────────
grant select on public.change_log to authenticated;
grant select, delete on public.change_log to service_role;

-- ─── helpers ─────────────────────────────────────────────────────────────────────────────────
-- Trigger arguments name the routing columns of the table:
--   0: comma-separated site columns, 1: client account column, 2: user column ('' for none).
create function private.capture_change() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  rec jsonb := case when tg_op = 'DELETE' then to_jsonb(old) else to_jsonb(new) end;
  site_column text;
  sites uuid[] := '{}';
  change_id bigint;
begin
  foreach site_column in array string_to_array(tg_argv[0], ',') loop
    if rec ->> site_column is not null then
      sites := sites || (rec ->> site_column)::uuid;
    end if;
  end loop;
  insert into public.change_log (table_name, op, row_id, site_ids, client_account_id, user_id, internal)
  values (
    tg_table_name,
    lower(tg_op),
    coalesce(rec ->> 'id', rec ->> 'user_id')::uuid,
    sites,
    (rec ->> nullif(tg_argv[1], ''))::uuid,
    (rec ->> nullif(tg_argv[2], ''))::uuid,
    coalesce((rec ->> 'internal')::boolean, false)
  )
  returning id into change_id;
  perform pg_notify('relais_changes', change_id::text);
  return null;
end
$$;

create trigger capture_change after insert or update or delete on public.vehicles
  for each row execute function private.capture_change('site_id', 'client_account_id', '');
create trigger capture_change after insert or update or delete on public.orders
  for each row execute function private.capture_change('site_id', 'client_account_id', '');
create trigger capture_change after insert or update or delete on public.tasks
  for each row execute function private.capture_change('site_id', 'client_account_id', '');
create trigger capture_change after insert or update or delete on public.movements
  for each row execute function private.capture_change('site_id', 'client_account_id', '');
create trigger capture_change after insert or update or delete on public.inspections
  for each row execute function private.capture_change('site_id', 'client_account_id', '');
create trigger capture_change after insert or update or delete on public.teams
  for each row execute function private.capture_change('site_id', '', '');
create trigger capture_change after insert or update or delete on public.yard_zones
  for each row execute function private.capture_change('site_id', '', '');
create trigger capture_change after insert or update or delete on public.bays
  for each row execute function private.capture_change('site_id', '', '');
create trigger capture_change after insert or update or delete on public.services
  for each row execute function private.capture_change('site_id', '', '');
create trigger capture_change after insert or update or delete on public.prices
  for each row execute function private.capture_change('site_id', '', '');
create trigger capture_change after insert or update or delete on public.transfers
  for each row execute function private.capture_change('from_site_id,to_site_id', 'client_account_id', 'driver_id');
create trigger capture_change after insert or update or delete on public.transfer_events
  for each row execute function private.capture_change('from_site_id,to_site_id', 'client_account_id', 'driver_id');
create trigger capture_change after insert or update or delete on public.ticket_threads
  for each row execute function private.capture_change('site_id', 'client_account_id', '');
create trigger capture_change after insert or update or delete on public.ticket_messages
  for each row execute function private.capture_change('site_id', 'client_account_id', '');
create trigger capture_change after insert or update or delete on public.notifications
  for each row execute function private.capture_change('', '', 'user_id');
-- Membership changes go to the person only; the server also re-checks their rooms on them.
create trigger capture_change after insert or update or delete on public.memberships
  for each row execute function private.capture_change('', '', 'user_id');
create trigger capture_change after insert or update or delete on public.client_members
  for each row execute function private.capture_change('', '', 'user_id');

-- ─── policies ────────────────────────────────────────────────────────────────────────────────
create policy "people read the changes routed to them" on public.change_log
  for select to authenticated
  using (
    site_ids && array(select private.staff_site_ids())
    or (not internal and client_account_id in (select private.client_account_ids()))
    or user_id = (select auth.uid())
  );
