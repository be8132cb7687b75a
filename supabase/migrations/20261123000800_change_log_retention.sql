-- Change log retention. The log only serves screens catching up after a disconnection, so old
-- rows are pruned; the horizon remembers the last pruned id, and a screen whose cursor is older
-- than it is told to reload instead of silently missing what was pruned.
-- Sections: tables → enable RLS → grants → helpers.

-- ─── tables ─────────────────────────────────────────────────────────────────────────────────
create table private.change_log_horizon (
  singleton boolean primary key default true check (singleton),
  pruned_through bigint not null default 0
);
insert into private.change_log_horizon default values;

-- ─── enable RLS ──────────────────────────────────────────────────────────────────────────────
-- No policies: only the owner and the functions below touch it.
alter table private.change_log_horizon enable row level security;

-- ─── grants ──────────────────────────────────────────────────────────────────────────────────
revoke all on private.change_log_horizon from public, anon, authenticated, service_role;

-- ─── helpers ─────────────────────────────────────────────────────────────────────────────────
-- Deletes the changes committed more than `keep` ago; returns how many went.
create function private.prune_change_log(keep interval) returns bigint
language plpgsql security definer set search_path = ''
as $$
declare
  last_pruned bigint;
  pruned bigint;
begin
  select max(id) into last_pruned from public.change_log where committed_at < now() - keep;
  if last_pruned is null then
    return 0;
  end if;
  delete from public.change_log where id <= last_pruned;
  get diagnostics pruned = row_count;
  update private.change_log_horizon set pruned_through = greatest(pruned_through, last_pruned);
  return pruned;
end
$$;

create function private.change_log_horizon() returns bigint
language sql stable security definer set search_path = ''
as $$
  select pruned_through from private.change_log_horizon
$$;

-- The newest change id, read when a page is rendered: the screen's live connection catches up
-- from there, so nothing committed between the render and the connection is missed.
create function private.change_log_head() returns bigint
language sql stable security definer set search_path = ''
as $$
  select coalesce(max(id), 0) from public.change_log
$$;

revoke all on function private.prune_change_log(interval), private.change_log_horizon(), private.change_log_head() from public;
grant execute on function private.prune_change_log(interval) to service_role;
grant execute on function private.change_log_horizon(), private.change_log_head() to authenticated, service_role;
