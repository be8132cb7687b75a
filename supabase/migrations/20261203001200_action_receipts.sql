-- Receipts of actions sent from a phone that may replay them: an action queued while offline is
-- sent again after a poor connection drops its answer, so the server must recognise it. The
-- receipt is written in the action's own transaction, first: a replay with the same key waits
-- for the first to commit and then finds its receipt (the action ran once), or finds nothing if
-- the first rolled back (the action runs now).
-- Sections: tables → indexes → enable RLS → grants → helpers → policies.

-- ─── tables ──────────────────────────────────────────────────────────────────────────────────
create table public.action_receipts (
  user_id uuid not null default auth.uid() references public.profiles (id) on delete cascade,
  -- Chosen by the client (a UUID per submission), so scoped by user: nobody can take another's.
  idempotency_key uuid not null,
  action text not null check (length(action) between 1 and 100),
  -- The answer the first run gave, returned to a replay.
  result jsonb,
  created_at timestamptz not null default now(),
  primary key (user_id, idempotency_key)
);

-- ─── indexes ─────────────────────────────────────────────────────────────────────────────────
create index action_receipts_created_at_idx on public.action_receipts (created_at);

-- ─── enable RLS ──────────────────────────────────────────────────────────────────────────────
alter table public.action_receipts enable row level security;

-- ─── grants ──────────────────────────────────────────────────────────────────────────────────
grant select, insert, update (result) on public.action_receipts to authenticated;
grant select, insert, update, delete on public.action_receipts to service_role;

-- ─── helpers ─────────────────────────────────────────────────────────────────────────────────
-- Deletes receipts older than `keep` (a phone does not stay offline for a week); returns how many.
create function private.prune_action_receipts(keep interval) returns bigint
language plpgsql security definer set search_path = ''
as $$
declare
  pruned bigint;
begin
  delete from public.action_receipts where created_at < now() - keep;
  get diagnostics pruned = row_count;
  return pruned;
end
$$;

revoke all on function private.prune_action_receipts(interval) from public;
grant execute on function private.prune_action_receipts(interval) to service_role;

-- ─── policies ────────────────────────────────────────────────────────────────────────────────
create policy action_receipts_own on public.action_receipts
  for all to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()));
