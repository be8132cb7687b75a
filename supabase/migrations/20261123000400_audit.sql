-- Audit trail: who changed what, when, and why, written by triggers so no code path can skip
-- it. The reason comes from `set local relais.reason = '…'` in the same transaction.

-- ─── tables ─────────────────────────────────────────────────────────────────────────────────
create table public.audit_log (
  id bigint generated always as identity primary key,
  site_id uuid references public.sites (id) on delete cascade,
  table_name text not null,
  row_id uuid not null,
  op text not null check (op in ('insert', 'update', 'delete')),
  actor_id uuid,
  reason text,
  old_row jsonb,
  new_row jsonb,
  occurred_at timestamptz not null default now()
);

-- ─── indexes ─────────────────────────────────────────────────────────────────────────────────
create index audit_log_row_idx on public.audit_log (table_name, row_id, occurred_at);
create index audit_log_site_id_idx on public.audit_log (site_id, occurred_at);

-- ─── enable RLS ──────────────────────────────────────────────────────────────────────────────
alter table public.audit_log enable row level security;

-- ─── grants ──────────────────────────────────────────────────────────────────────────────────
grant select on public.audit_log to authenticated;
grant select, insert, update, delete on public.audit_log to service_role;

-- ─── helpers ─────────────────────────────────────────────────────────────────────────────────
create function private.record_audit() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  rec jsonb := case when tg_op = 'DELETE' then to_jsonb(old) else to_jsonb(new) end;
begin
  insert into public.audit_log (site_id, table_name, row_id, op, actor_id, reason, old_row, new_row)
  values (
    coalesce(rec ->> 'site_id', rec ->> 'from_site_id')::uuid,
    tg_table_name,
    (rec ->> 'id')::uuid,
    lower(tg_op),
    (select auth.uid()),
    nullif(current_setting('relais.reason', true), ''),
    case when tg_op <> 'INSERT' then to_jsonb(old) end,
    case when tg_op <> 'DELETE' then to_jsonb(new) end
  );
  return null;
end
$$;

create trigger audit after insert or update or delete on public.orders
  for each row execute function private.record_audit();
create trigger audit after insert or update or delete on public.tasks
  for each row execute function private.record_audit();
create trigger audit after insert or update or delete on public.movements
  for each row execute function private.record_audit();
create trigger audit after insert or update or delete on public.transfers
  for each row execute function private.record_audit();
create trigger audit after insert or update or delete on public.prices
  for each row execute function private.record_audit();

-- ─── policies ────────────────────────────────────────────────────────────────────────────────
create policy "managers read the audit trail of their sites" on public.audit_log
  for select to authenticated using (private.has_site_role(site_id, '{csm,site_manager,director,admin}'));
