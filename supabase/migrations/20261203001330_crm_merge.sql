-- Customers: the list's order (last interaction), their audit trail, and merging duplicates.
--
-- Decisions:
-- - customers.last_interaction_at is kept by a trigger on customer_interactions so the list
--   sorts 100,000 customers by an index instead of aggregating the whole history per page.
-- - Merging is public.merge_customers, SECURITY INVOKER: the caller's policies decide each
--   step. Only managers delete a customer, so only they merge. If some of the dropped
--   record's leads, interactions or quotes are out of the caller's reach (another site's,
--   invisible or not updatable to them), the merge is refused rather than letting the delete
--   cascade them away: a director or admin (every site) can do it. A plain delete of a
--   customer is held to the same rule (private.guard_customer_delete).
-- - The trail: customers' edits and deletions are audited, filed under the customer's first
--   site (customers have no site_id, so private.record_audit would file them nowhere). A merge
--   also leaves an entry on the kept customer naming the dropped one with its whole record,
--   so "where did this come from" is answered from the kept record's own trail; an
--   interaction could not say it (its kinds are contacts with the customer, not admin work).
-- - public.quote_margins is redefined to read the purchase price through a definer helper
--   (see below): as written it was refused to every signed-in person.
-- Sections: tables → indexes → helpers → triggers → functions.

-- ─── tables ──────────────────────────────────────────────────────────────────────────────────
alter table public.customers add column last_interaction_at timestamptz;

update public.customers c
set last_interaction_at = (select max(i.occurred_at) from public.customer_interactions i where i.customer_id = c.id);

-- ─── indexes ─────────────────────────────────────────────────────────────────────────────────
create index customers_last_interaction_idx on public.customers (organisation_id, last_interaction_at desc nulls last, id);
create index customers_postcode_idx on public.customers (organisation_id, postcode) where postcode is not null;

-- ─── helpers ─────────────────────────────────────────────────────────────────────────────────
-- The customer's latest interaction, recomputed for the customers a change touches.
create function private.customer_last_interaction() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  update public.customers c
  set last_interaction_at = (select max(i.occurred_at) from public.customer_interactions i where i.customer_id = c.id)
  where c.id in (select (case when tg_op = 'DELETE' then old.customer_id else new.customer_id end)
                 union select (case when tg_op = 'UPDATE' then old.customer_id end));
  return null;
end
$$;

-- A customer's edits and deletions, filed under the site where the customer was first met.
-- Within public.merge_customers (relais.merged_into set), the deletion also writes an entry on
-- the kept customer. The list's sort key is bookkeeping, not an edit.
create function private.audit_customer() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  before jsonb;
  after jsonb;
  kept uuid := nullif(current_setting('relais.merged_into', true), '')::uuid;
  kept_site uuid;
begin
  if tg_op = 'UPDATE' then
    select coalesce(jsonb_object_agg(o.key, o.value), '{}'), coalesce(jsonb_object_agg(o.key, n.value), '{}')
    into before, after
    from jsonb_each(to_jsonb(old)) o
    join jsonb_each(to_jsonb(new)) n using (key)
    where o.value is distinct from n.value and o.key not in ('updated_at', 'last_interaction_at');
    if before = '{}' then
      return null;
    end if;
  else
    before := to_jsonb(old);
  end if;
  insert into public.audit_log (site_id, table_name, row_id, op, actor_id, reason, old_row, new_row)
  values ((case when tg_op = 'DELETE' then old.first_site_id else new.first_site_id end), 'customers',
          (case when tg_op = 'DELETE' then old.id else new.id end), lower(tg_op), (select auth.uid()),
          nullif(current_setting('relais.reason', true), ''), before, after);
  if tg_op = 'DELETE' and kept is not null then
    select c.first_site_id into kept_site from public.customers c where c.id = kept;
    insert into public.audit_log (site_id, table_name, row_id, op, actor_id, reason, old_row, new_row)
    values (kept_site, 'customers', kept, 'update', (select auth.uid()),
            nullif(current_setting('relais.reason', true), ''),
            '{}', jsonb_build_object('merged_from', old.id, 'merged_record', to_jsonb(old)));
  end if;
  return null;
end
$$;

-- Deleting a customer cascades to their leads, interactions and quotes: a signed-in person may
-- delete one only when all of that is at sites they manage (unassigned leads: the
-- organisation-wide roles'); a merge has moved it all away first. System work (no
-- auth.uid(), e.g. an organisation's deletion) is not concerned.
create function private.guard_customer_delete() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  if (select auth.uid()) is not null and exists (
    select 1 from public.leads l where l.customer_id = old.id and (case when l.site_id is null
      then not (select private.has_org_role(array['director', 'admin']::public.app_role[]))
      else l.site_id not in (select private.managed_site_ids()) end)
    union all
    select 1 from public.customer_interactions i where i.customer_id = old.id and i.site_id not in (select private.managed_site_ids())
    union all
    select 1 from public.quotes q where q.customer_id = old.id and q.selling_site_id not in (select private.managed_site_ids())
  ) then
    raise exception 'this customer has history at sites the caller does not manage'
      using errcode = '42501', hint = 'customer_history_out_of_reach';
  end if;
  return old;
end
$$;

-- How many leads, interactions and quotes still name a customer of the caller's organisation,
-- whether or not the caller sees them: the merge's check that nothing would be lost.
create function private.customer_history_count(p_customer uuid) returns bigint
language sql stable security definer set search_path = ''
as $$
  select (select count(*) from public.leads l where l.customer_id = p_customer and l.organisation_id = (select private.organisation_id()))
       + (select count(*) from public.customer_interactions i where i.customer_id = p_customer and i.organisation_id = (select private.organisation_id()))
       + (select count(*) from public.quotes q where q.customer_id = p_customer and q.organisation_id = (select private.organisation_id()))
$$;

-- A quote's margin for those who read the selling site's margins, null for others. The view
-- public.quote_margins (migration 20261203001300) is security_invoker and read
-- vehicles.purchase_price_cents itself, which no signed-in person may select (column grants,
-- migration 20261203000500): every read was refused. The price is read here instead.
create function private.quote_margin(p_quote uuid) returns bigint
language sql stable security definer set search_path = ''
as $$
  select q.price_cents - v.purchase_price_cents
  from public.quotes q
  join public.vehicles v on v.id = q.vehicle_id
  where q.id = p_quote and q.selling_site_id in (select private.sale_margin_site_ids())
$$;

revoke all on function private.customer_last_interaction(), private.audit_customer(), private.guard_customer_delete(), private.customer_history_count(uuid),
  private.quote_margin(uuid) from public;
grant execute on function private.customer_history_count(uuid), private.quote_margin(uuid) to authenticated, service_role;

-- Same rows and columns as before (a quote always has its vehicle); the quotes' policies still
-- decide which rows the caller gets.
create or replace view public.quote_margins with (security_invoker = true) as
select q.id, q.selling_site_id, private.quote_margin(q.id) as margin_cents
from public.quotes q;

-- ─── triggers ────────────────────────────────────────────────────────────────────────────────
create trigger customer_last_interaction after insert or delete or update of occurred_at, customer_id on public.customer_interactions
  for each row execute function private.customer_last_interaction();
create trigger guard_customer_delete before delete on public.customers
  for each row execute function private.guard_customer_delete();
create trigger audit_customer after update or delete on public.customers
  for each row execute function private.audit_customer();

-- ─── functions ───────────────────────────────────────────────────────────────────────────────
-- Merges p_drop into p_keep: its leads, interactions and quotes move over, p_keep's empty
-- fields take p_drop's values, p_drop is deleted. Runs in the caller's transaction: any
-- refusal undoes every step. Errors carry a stable HINT for the server to word.
create function public.merge_customers(p_keep uuid, p_drop uuid) returns uuid
language plpgsql security invoker set search_path = ''
as $$
declare
  keep_row public.customers;
  drop_row public.customers;
  deleted integer;
begin
  if p_keep is null or p_drop is null or p_keep = p_drop then
    raise exception 'a customer is merged with another customer, not with itself'
      using errcode = '22023', hint = 'customer_merge_same';
  end if;
  select * into keep_row from public.customers c where c.id = p_keep for update;
  select * into drop_row from public.customers c where c.id = p_drop for update;
  if keep_row.id is null or drop_row.id is null then
    raise exception 'customer not found' using errcode = 'P0002', hint = 'customer_merge_not_found';
  end if;
  if keep_row.organisation_id <> drop_row.organisation_id then
    raise exception 'customers of different organisations are not merged'
      using errcode = '22023', hint = 'customer_merge_other_organisation';
  end if;
  -- The delete policy's rule, said before any work; the delete below still decides.
  if not (select private.has_any_role(array['site_manager', 'director', 'admin']::public.app_role[])) then
    raise exception 'only managers merge customers' using errcode = '42501', hint = 'customer_merge_not_manager';
  end if;

  update public.leads set customer_id = p_keep where customer_id = p_drop;
  update public.customer_interactions set customer_id = p_keep where customer_id = p_drop;
  update public.quotes set customer_id = p_keep where customer_id = p_drop;
  if (select private.customer_history_count(p_drop)) > 0 then
    raise exception 'some of this customer''s history is at sites the caller may not change'
      using errcode = '42501', hint = 'customer_merge_out_of_reach';
  end if;

  update public.customers c
  set first_name = coalesce(c.first_name, drop_row.first_name),
      email = coalesce(c.email, drop_row.email),
      phone = coalesce(c.phone, drop_row.phone),
      postcode = coalesce(c.postcode, drop_row.postcode),
      city = coalesce(c.city, drop_row.city),
      first_site_id = coalesce(c.first_site_id, drop_row.first_site_id)
  where c.id = p_keep;

  perform set_config('relais.merged_into', p_keep::text, true);
  delete from public.customers c where c.id = p_drop;
  get diagnostics deleted = row_count;
  perform set_config('relais.merged_into', '', true);
  if deleted = 0 then
    raise exception 'only managers merge customers' using errcode = '42501', hint = 'customer_merge_not_manager';
  end if;
  return p_keep;
end
$$;

revoke all on function public.merge_customers(uuid, uuid) from public;
grant execute on function public.merge_customers(uuid, uuid) to authenticated, service_role;
