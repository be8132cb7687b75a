-- Audit trail, hardened: an update records only the columns that changed (before and after),
-- invoices and their lines are audited, and nobody edits or deletes the trail: not people, not
-- the service role, not the table's owner (a trigger refuses), not a site deletion.

-- ─── tables ──────────────────────────────────────────────────────────────────────────────────
-- History outlives the site it happened at.
alter table public.audit_log drop constraint audit_log_site_id_fkey;
-- For the search screen: by person, and by table over time.
create index audit_log_actor_id_idx on public.audit_log (actor_id, occurred_at);
create index audit_log_occurred_at_idx on public.audit_log (occurred_at);

-- ─── grants ──────────────────────────────────────────────────────────────────────────────────
-- Rows are written only by private.record_audit (security definer).
revoke insert, update, delete, truncate on public.audit_log from service_role, authenticated, anon;

-- ─── helpers ─────────────────────────────────────────────────────────────────────────────────
create or replace function private.record_audit() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  rec jsonb := case when tg_op = 'DELETE' then to_jsonb(old) else to_jsonb(new) end;
  before jsonb;
  after jsonb;
begin
  if tg_op = 'UPDATE' then
    select coalesce(jsonb_object_agg(o.key, o.value), '{}'), coalesce(jsonb_object_agg(o.key, n.value), '{}')
    into before, after
    from jsonb_each(to_jsonb(old)) o
    join jsonb_each(to_jsonb(new)) n using (key)
    where o.value is distinct from n.value and o.key <> 'updated_at';
    if before = '{}' then
      return null;
    end if;
  elsif tg_op = 'DELETE' then
    before := rec;
  else
    after := rec;
  end if;
  insert into public.audit_log (site_id, table_name, row_id, op, actor_id, reason, old_row, new_row)
  values (
    coalesce(rec ->> 'site_id', rec ->> 'from_site_id')::uuid,
    tg_table_name,
    (rec ->> 'id')::uuid,
    lower(tg_op),
    (select auth.uid()),
    nullif(current_setting('relais.reason', true), ''),
    before,
    after
  );
  return null;
end
$$;

create function private.refuse_audit_change() returns trigger
language plpgsql set search_path = ''
as $$
begin
  raise exception 'the audit trail is append-only' using errcode = '42501';
end
$$;

revoke all on function private.refuse_audit_change() from public;

-- ─── triggers ────────────────────────────────────────────────────────────────────────────────
create trigger append_only before update or delete on public.audit_log
  for each row execute function private.refuse_audit_change();
create trigger append_only_truncate before truncate on public.audit_log
  for each statement execute function private.refuse_audit_change();

create trigger audit after insert or update or delete on public.invoices
  for each row execute function private.record_audit();
-- Lines a run bills are covered by their invoice's creation; manual lines, removals and
-- deletions are recorded one by one.
create trigger audit_manual_insert after insert on public.invoice_lines
  for each row when (new.task_id is null) execute function private.record_audit();
create trigger audit after update or delete on public.invoice_lines
  for each row execute function private.record_audit();
-- Template wording printed on legal documents: who changed it and why.
create trigger audit after insert or update or delete on public.document_templates
  for each row execute function private.record_audit();
