-- Invoicing: done tasks are validated, a monthly run bills every validated task once on a draft
-- invoice per client account and site, a CSM edits the draft, issuing numbers and freezes it,
-- and credit notes correct what was issued. Generated PDFs are `documents`; the texts of their
-- templates are set per site. The database holds every invariant (billed once, gap-free numbers,
-- frozen once issued) so that no code path, the service one included, can break them.

-- ─── types ───────────────────────────────────────────────────────────────────────────────────
create type public.invoice_kind as enum ('invoice', 'credit_note');
create type public.invoice_status as enum ('draft', 'issued', 'sent', 'paid', 'overdue');
create type public.document_kind as enum (
  'invoice', 'credit_note', 'delivery_report', 'inspection_report', 'transfer_note', 'purchase_order', 'sale_invoice'
);

-- ─── columns ─────────────────────────────────────────────────────────────────────────────────
alter table public.tasks
  add column validated_at timestamptz,
  add column validated_by uuid references public.profiles (id) on delete set null;
-- VAT in basis points (2000 = 20 %), frozen onto the invoice line when billed.
alter table public.services
  add column vat_rate_bp integer not null default 2000 check (vat_rate_bp between 0 and 10000);
-- The logo printed on the site's documents, a storage key.
alter table public.sites add column logo_key text;
alter table public.client_accounts
  add column billing_address text,
  add column locale text not null default 'fr' check (locale in ('fr', 'en')),
  -- The customer's id in the accounting tool, once exported.
  add column accounting_remote_id text;

-- ─── tables ──────────────────────────────────────────────────────────────────────────────────
create table public.invoices (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  site_id uuid not null references public.sites (id),
  client_account_id uuid not null references public.client_accounts (id),
  kind public.invoice_kind not null default 'invoice',
  -- A credit note names the issued invoice it corrects.
  credits_invoice_id uuid references public.invoices (id),
  status public.invoice_status not null default 'draft',
  period_start date,
  period_end date,
  number text,
  issued_on date,
  due_on date,
  sent_at timestamptz,
  paid_at timestamptz,
  locale text not null default 'fr' check (locale in ('fr', 'en')),
  notes text check (length(notes) <= 2000),
  -- Kept by a statement trigger on the lines: VAT is rounded once per rate on the invoice.
  net_cents bigint not null default 0,
  vat_cents bigint not null default 0,
  gross_cents bigint not null default 0,
  document_id uuid,
  -- Accounting export (Axonaut): a queue on the invoice itself, worked with skip locked.
  export_status text check (export_status in ('pending', 'exported', 'failed')),
  export_attempts integer not null default 0,
  export_next_at timestamptz,
  export_error text,
  remote_id text,
  exported_at timestamptz,
  created_by uuid references public.profiles (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (site_id, number),
  check ((kind = 'credit_note') = (credits_invoice_id is not null)),
  check (status = 'draft' or (number is not null and issued_on is not null and due_on is not null)),
  check (period_end >= period_start)
);

create table public.invoice_lines (
  id uuid primary key default gen_random_uuid(),
  invoice_id uuid not null references public.invoices (id) on delete cascade,
  -- Copied from the invoice by a trigger, for policies.
  site_id uuid not null references public.sites (id),
  client_account_id uuid not null references public.client_accounts (id),
  -- The billed task (a unique index bills it once); null on manual and credit lines.
  task_id uuid references public.tasks (id),
  credits_line_id uuid references public.invoice_lines (id),
  position integer not null default 0,
  description text not null check (length(description) between 1 and 300),
  detail text check (length(detail) <= 300),
  quantity integer not null default 1 check (quantity between 1 and 10000),
  unit_price_cents bigint not null check (unit_price_cents between 0 and 100000000),
  discount_cents bigint not null default 0 check (discount_cents >= 0),
  vat_rate_bp integer not null check (vat_rate_bp between 0 and 10000),
  net_cents bigint generated always as (quantity * unit_price_cents - discount_cents) stored,
  -- A manual line says why it was added; a removed line stays (its task stays billed once) but
  -- counts for nothing, and says why.
  added_reason text check (length(added_reason) <= 500),
  removed_reason text check (length(removed_reason) <= 500),
  removed_at timestamptz,
  removed_by uuid references public.profiles (id) on delete set null,
  created_at timestamptz not null default now(),
  check (discount_cents <= quantity * unit_price_cents),
  check ((removed_at is null) = (removed_reason is null))
);

-- Gap-free numbering: one counter per issuing site, year and kind, bumped in the issuing
-- transaction, so a rolled-back issue gives its number back.
create table public.invoice_counters (
  site_id uuid not null references public.sites (id) on delete cascade,
  year integer not null,
  kind public.invoice_kind not null,
  last_number integer not null default 0,
  primary key (site_id, year, kind)
);

create table public.documents (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  site_id uuid not null references public.sites (id),
  -- The client account the document is for; its members may download it.
  client_account_id uuid references public.client_accounts (id),
  kind public.document_kind not null,
  subject_type text not null check (subject_type in ('invoice', 'order', 'vehicle', 'inspection', 'transfer', 'movement')),
  subject_id uuid not null,
  title text not null check (length(title) between 1 and 200),
  locale text not null default 'fr' check (locale in ('fr', 'en')),
  storage_key text not null unique,
  byte_size integer not null check (byte_size > 0),
  created_by uuid references public.profiles (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now()
);

alter table public.invoices
  add constraint invoices_document_id_fkey foreign key (document_id) references public.documents (id);

-- Texts of a site's document templates; anything not set falls back to the product's wording.
create table public.document_templates (
  id uuid primary key default gen_random_uuid(),
  site_id uuid not null references public.sites (id) on delete cascade,
  kind public.document_kind not null,
  locale text not null check (locale in ('fr', 'en')),
  texts jsonb not null default '{}'::jsonb check (jsonb_typeof(texts) = 'object'),
  updated_by uuid references public.profiles (id) on delete set null default auth.uid(),
  updated_at timestamptz not null default now(),
  unique (site_id, kind, locale)
);

-- ─── indexes ─────────────────────────────────────────────────────────────────────────────────
create unique index invoice_lines_bill_a_task_once on public.invoice_lines (task_id) where task_id is not null;
-- A line is credited once, whole.
create unique index invoice_lines_credit_a_line_once on public.invoice_lines (credits_line_id) where credits_line_id is not null;
-- One open draft per client account, site and period: a re-run tops it up.
create unique index invoices_one_draft_per_period on public.invoices (site_id, client_account_id, period_start, period_end)
  where status = 'draft' and kind = 'invoice';
create index invoices_site_id_idx on public.invoices (site_id, status);
create index invoices_client_account_id_idx on public.invoices (client_account_id);
create index invoices_credits_invoice_id_idx on public.invoices (credits_invoice_id);
create index invoices_export_due_idx on public.invoices (export_next_at) where export_status = 'pending';
create index invoice_lines_invoice_id_idx on public.invoice_lines (invoice_id, position);
create index invoice_lines_site_id_idx on public.invoice_lines (site_id);
create index invoice_lines_client_account_id_idx on public.invoice_lines (client_account_id);
create index documents_subject_idx on public.documents (subject_type, subject_id);
create index documents_site_id_idx on public.documents (site_id);
create index documents_client_account_id_idx on public.documents (client_account_id);
-- The monthly run looks for validated tasks of a site.
create index tasks_validated_idx on public.tasks (site_id, validated_at) where status = 'validated';

-- ─── enable RLS ──────────────────────────────────────────────────────────────────────────────
alter table public.invoices enable row level security;
alter table public.invoice_lines enable row level security;
alter table public.invoice_counters enable row level security;
alter table public.documents enable row level security;
alter table public.document_templates enable row level security;

-- ─── grants ──────────────────────────────────────────────────────────────────────────────────
grant select, insert, update, delete on public.invoices, public.invoice_lines, public.document_templates to authenticated;
grant select, insert, delete on public.documents to authenticated;
grant select on public.invoice_counters to authenticated;
grant select, insert, update, delete on public.invoices, public.invoice_lines, public.invoice_counters,
  public.documents, public.document_templates to service_role;
-- Counters move only through private.next_invoice_number; billing staff read where a series stands.

-- ─── helpers ─────────────────────────────────────────────────────────────────────────────────
-- has_site_role for the billing roles, inlined: it runs once per line a run writes (policies).
create function private.bills_site(site uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1
    from public.memberships m
    join public.sites s on s.organisation_id = m.organisation_id and (m.site_id is null or m.site_id = s.id)
    where m.user_id = (select auth.uid()) and s.id = site and m.role in ('csm', 'site_manager', 'admin')
  )
$$;

-- The next number of a site's series, e.g. F-LYON-2026-00042 or AV-LYON-2026-00003.
create function private.next_invoice_number(for_site uuid, for_kind public.invoice_kind, for_year integer) returns text
language plpgsql security definer set search_path = ''
as $$
declare
  n integer;
  site_code text;
begin
  if coalesce((select auth.role()), '') = 'authenticated' and not private.bills_site(for_site) then
    raise exception 'only CSMs, site managers and admins issue invoices' using errcode = '42501';
  end if;
  insert into public.invoice_counters as c (site_id, year, kind, last_number)
  values (for_site, for_year, for_kind, 1)
  on conflict (site_id, year, kind) do update set last_number = c.last_number + 1
  returning c.last_number into n;
  select s.code into site_code from public.sites s where s.id = for_site;
  return (case when for_kind = 'invoice' then 'F' else 'AV' end) || '-' || site_code || '-' || for_year || '-' || lpad(n::text, 5, '0');
end
$$;

-- Totals of an invoice: net per line, VAT rounded once per rate (half away from zero) on the
-- sum of that rate's nets. src/lib/invoicing/totals.ts states the same rule for the screens.
create function private.refresh_invoice_totals(invoice_ids uuid[]) returns void
language sql security definer set search_path = ''
as $$
  update public.invoices i
  set net_cents = t.net, vat_cents = t.vat, gross_cents = t.net + t.vat, updated_at = now()
  from (
    select ids.id,
           coalesce(sum(r.net), 0)::bigint as net,
           coalesce(sum(round(r.net * r.rate / 10000.0)), 0)::bigint as vat
    from unnest(invoice_ids) as ids (id)
    left join lateral (
      select l.vat_rate_bp as rate, sum(l.net_cents) as net
      from public.invoice_lines l
      where l.invoice_id = ids.id and l.removed_at is null
      group by l.vat_rate_bp
    ) r on true
    group by ids.id
  ) t
  where i.id = t.id and i.status = 'draft'
$$;

-- ─── triggers ────────────────────────────────────────────────────────────────────────────────
create trigger touch_updated_at before update on public.invoices
  for each row execute function private.touch_updated_at();

-- Validating a done task makes it billable; only billing staff do it, and a billed task keeps
-- its status and price.
create function private.guard_task_billing() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  if new.status = 'validated' and old.status <> 'validated' then
    if old.status <> 'done' then
      raise exception 'only a done task can be validated' using errcode = '23514';
    end if;
    if coalesce((select auth.role()), '') = 'authenticated' and not private.bills_site(new.site_id) then
      raise exception 'only CSMs, site managers and admins validate tasks' using errcode = '42501';
    end if;
    new.validated_at := now();
    new.validated_by := (select auth.uid());
  elsif old.status = 'validated' and (new.status <> 'validated' or new.price_cents <> old.price_cents) then
    if exists (select 1 from public.invoice_lines l where l.task_id = old.id) then
      raise exception 'this task is billed: correct it with a credit note' using errcode = '23514';
    end if;
    if new.status <> 'validated' then
      new.validated_at := null;
      new.validated_by := null;
    end if;
  end if;
  return new;
end
$$;
create trigger guard_task_billing before update on public.tasks
  for each row execute function private.guard_task_billing();

-- Lines belong to their invoice's site and account; a task line bills a validated task of the
-- same site and account; nothing on an issued invoice changes.
create function private.guard_invoice_line() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  inv public.invoices;
begin
  select * into inv from public.invoices where id = coalesce(new.invoice_id, old.invoice_id);
  if inv.status <> 'draft' then
    raise exception 'invoice % is issued: it is never edited again, issue a credit note', inv.number
      using errcode = '55000';
  end if;
  if tg_op = 'DELETE' then
    return old;
  end if;
  new.site_id := inv.site_id;
  new.client_account_id := inv.client_account_id;
  if tg_op = 'UPDATE' and (new.task_id is distinct from old.task_id or new.invoice_id <> old.invoice_id) then
    raise exception 'a line keeps its task and its invoice' using errcode = '23514';
  end if;
  if tg_op = 'INSERT' and new.task_id is not null and not exists (
    select 1 from public.tasks t
    where t.id = new.task_id and t.site_id = inv.site_id and t.client_account_id = inv.client_account_id
      and t.status = 'validated'
  ) then
    raise exception 'only a validated task of this site and client account is billed' using errcode = '23514';
  end if;
  if (new.credits_line_id is not null) <> (inv.kind = 'credit_note') then
    raise exception 'credit lines belong to credit notes, and only there' using errcode = '23514';
  end if;
  if new.credits_line_id is not null and not exists (
    select 1 from public.invoice_lines l where l.id = new.credits_line_id and l.invoice_id = inv.credits_invoice_id
  ) then
    raise exception 'a credit line corrects a line of the credited invoice' using errcode = '23514';
  end if;
  return new;
end
$$;
create trigger guard_invoice_line before insert or update or delete on public.invoice_lines
  for each row execute function private.guard_invoice_line();

create function private.invoice_lines_changed() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  if tg_op = 'DELETE' then
    perform private.refresh_invoice_totals(array(select distinct invoice_id from old_lines));
  else
    perform private.refresh_invoice_totals(array(select distinct invoice_id from new_lines));
  end if;
  return null;
end
$$;
create trigger totals_after_insert after insert on public.invoice_lines
  referencing new table as new_lines for each statement execute function private.invoice_lines_changed();
create trigger totals_after_update after update on public.invoice_lines
  referencing new table as new_lines for each statement execute function private.invoice_lines_changed();
create trigger totals_after_delete after delete on public.invoice_lines
  referencing old table as old_lines for each statement execute function private.invoice_lines_changed();

-- Issuing numbers and dates the invoice here, so nothing can pick its own number. An issued
-- invoice is frozen: only its life after issue moves (sent, paid, overdue, its PDF and its
-- accounting export). Status moves forward only.
create function private.guard_invoice() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  today date;
  terms integer;
begin
  if tg_op = 'DELETE' then
    if old.status <> 'draft' then
      raise exception 'invoice % is issued: it is never deleted', old.number using errcode = '55000';
    end if;
    return old;
  end if;
  if tg_op = 'INSERT' then
    if new.status <> 'draft' then
      raise exception 'an invoice starts as a draft' using errcode = '23514';
    end if;
    new.number := null;
    new.issued_on := null;
    new.due_on := null;
    if new.kind = 'credit_note' and not exists (
      select 1 from public.invoices c
      where c.id = new.credits_invoice_id and c.kind = 'invoice' and c.status <> 'draft'
        and c.site_id = new.site_id and c.client_account_id = new.client_account_id
    ) then
      raise exception 'a credit note corrects an issued invoice of the same site and client' using errcode = '23514';
    end if;
    return new;
  end if;
  if old.status = 'draft' then
    if new.status not in ('draft', 'issued') then
      raise exception 'a draft is issued before anything else' using errcode = '23514';
    end if;
    if new.status = 'issued' and not exists (select 1 from public.invoice_lines l where l.invoice_id = new.id and l.removed_at is null) then
      raise exception 'an invoice without lines is not issued' using errcode = '23514';
    end if;
    if (new.organisation_id, new.site_id, new.client_account_id, new.kind, new.credits_invoice_id)
       is distinct from (old.organisation_id, old.site_id, old.client_account_id, old.kind, old.credits_invoice_id) then
      raise exception 'an invoice keeps its site, client and kind' using errcode = '23514';
    end if;
    -- Number and dates are the database's, never the caller's: the next of the site's series
    -- for the site's current year, and the organisation's payment terms (30 days by default).
    if new.status = 'issued' then
      select (now() at time zone s.timezone)::date, coalesce((o.settings ->> 'payment_terms_days')::integer, 30)
      into today, terms
      from public.sites s join public.organisations o on o.id = s.organisation_id
      where s.id = new.site_id;
      new.number := private.next_invoice_number(new.site_id, new.kind, extract(year from today)::integer);
      new.issued_on := today;
      new.due_on := today + terms;
    else
      new.number := null;
      new.issued_on := null;
      new.due_on := null;
    end if;
    return new;
  end if;
  if (new.organisation_id, new.site_id, new.client_account_id, new.kind, new.credits_invoice_id, new.period_start,
      new.period_end, new.number, new.issued_on, new.due_on, new.locale, new.notes, new.net_cents, new.vat_cents,
      new.gross_cents, new.created_by, new.created_at)
     is distinct from
     (old.organisation_id, old.site_id, old.client_account_id, old.kind, old.credits_invoice_id, old.period_start,
      old.period_end, old.number, old.issued_on, old.due_on, old.locale, old.notes, old.net_cents, old.vat_cents,
      old.gross_cents, old.created_by, old.created_at)
     or (old.document_id is not null and new.document_id is distinct from old.document_id) then
    raise exception 'invoice % is issued: it is never edited again, issue a credit note', old.number
      using errcode = '55000';
  end if;
  if new.status <> old.status and not (
    (old.status = 'issued' and new.status in ('sent', 'paid', 'overdue'))
    or (old.status = 'sent' and new.status in ('paid', 'overdue'))
    or (old.status = 'overdue' and new.status = 'paid')
  ) then
    raise exception 'invoice % cannot go from % to %', old.number, old.status, new.status using errcode = '23514';
  end if;
  return new;
end
$$;
create trigger guard_invoice before insert or update or delete on public.invoices
  for each row execute function private.guard_invoice();

-- Issued, sent and unpaid past the due date: overdue. Returns what moved, for notifications.
create function private.mark_overdue_invoices(today date) returns setof uuid
language sql security definer set search_path = ''
as $$
  update public.invoices set status = 'overdue'
  where status in ('issued', 'sent') and due_on < today
  returning id
$$;

revoke all on function private.bills_site(uuid), private.next_invoice_number(uuid, public.invoice_kind, integer),
  private.refresh_invoice_totals(uuid[]), private.guard_task_billing(), private.guard_invoice_line(),
  private.invoice_lines_changed(), private.guard_invoice(), private.mark_overdue_invoices(date) from public;
grant execute on function private.bills_site(uuid), private.next_invoice_number(uuid, public.invoice_kind, integer)
  to authenticated, service_role;
grant execute on function private.mark_overdue_invoices(date) to service_role;

-- ─── policies ────────────────────────────────────────────────────────────────────────────────
-- Billing staff of the site and directors read invoices; clients read their account's invoices
-- once issued (a draft is work in progress).
create policy "billing staff and directors read invoices" on public.invoices
  for select to authenticated using (private.has_site_role(site_id, '{csm,site_manager,director,admin}'));
create policy "clients read their issued invoices" on public.invoices
  for select to authenticated
  using (status <> 'draft' and client_account_id in (select private.client_account_ids()));
create policy "billing staff create invoices" on public.invoices
  for insert to authenticated
  with check (
    (select private.bills_site(site_id))
    and organisation_id = (select private.organisation_id())
    and (select private.account_of_site(site_id, client_account_id))
  );
create policy "billing staff update invoices" on public.invoices
  for update to authenticated
  using ((select private.bills_site(site_id))) with check ((select private.bills_site(site_id)));
create policy "billing staff delete drafts" on public.invoices
  for delete to authenticated using (status = 'draft' and (select private.bills_site(site_id)));

create policy "billing staff and directors read invoice lines" on public.invoice_lines
  for select to authenticated using (private.has_site_role(site_id, '{csm,site_manager,director,admin}'));
create policy "clients read lines of their issued invoices" on public.invoice_lines
  for select to authenticated
  using (
    client_account_id in (select private.client_account_ids())
    and invoice_id in (select i.id from public.invoices i where i.status <> 'draft')
  );
-- site_id is the invoice's: a before-insert trigger sets it, before this check runs.
create policy "billing staff add invoice lines" on public.invoice_lines
  for insert to authenticated with check ((select private.bills_site(site_id)));
create policy "billing staff edit invoice lines" on public.invoice_lines
  for update to authenticated
  using ((select private.bills_site(site_id))) with check ((select private.bills_site(site_id)));
create policy "billing staff delete invoice lines" on public.invoice_lines
  for delete to authenticated using ((select private.bills_site(site_id)));

create policy "billing staff read their series" on public.invoice_counters
  for select to authenticated using ((select private.bills_site(site_id)));

-- Documents: the site's staff read them, the client account they are for reads them; staff
-- who produce documents file them; only admins remove one.
create policy "site staff read documents" on public.documents
  for select to authenticated using (site_id in (select private.staff_site_ids()));
create policy "clients read their documents" on public.documents
  for select to authenticated using (client_account_id in (select private.client_account_ids()));
create policy "site staff file documents" on public.documents
  for insert to authenticated
  with check (
    private.has_site_role(site_id, '{operator,team_lead,csm,site_manager,admin}')
    and organisation_id = (select private.organisation_id())
  );
create policy "admins remove documents" on public.documents
  for delete to authenticated using (private.has_site_role(site_id, '{admin}'));

create policy "site staff read document templates" on public.document_templates
  for select to authenticated using (site_id in (select private.staff_site_ids()));
create policy "managers write document templates" on public.document_templates
  for insert to authenticated with check (private.has_site_role(site_id, '{site_manager,admin}'));
create policy "managers edit document templates" on public.document_templates
  for update to authenticated
  using (private.has_site_role(site_id, '{site_manager,admin}'))
  with check (private.has_site_role(site_id, '{site_manager,admin}'));
create policy "managers reset document templates" on public.document_templates
  for delete to authenticated using (private.has_site_role(site_id, '{site_manager,admin}'));

-- ─── live ────────────────────────────────────────────────────────────────────────────────────
-- Lines are not captured: every line statement refreshes its invoice's totals, and that
-- update is the event.
create trigger capture_change after insert or update or delete on public.invoices
  for each row execute function private.capture_change('site_id', 'client_account_id', '');
create trigger capture_change after insert or update or delete on public.documents
  for each row execute function private.capture_change('site_id', 'client_account_id', '');

-- ─── notifications ───────────────────────────────────────────────────────────────────────────
-- An overdue invoice is a notification's subject.
alter table public.notifications drop constraint notifications_subject_table_check;
alter table public.notifications
  add constraint notifications_subject_table_check
  check (subject_table in ('orders', 'ticket_threads', 'transfers', 'vehicles', 'tasks', 'invoices'));
-- Clients hear of a new invoice or credit note.
alter table public.notification_preferences drop constraint notification_preferences_kind_check;
alter table public.notification_preferences
  add constraint notification_preferences_kind_check
  check (kind in ('order_created', 'order_ready', 'ticket_reply', 'ticket_mention', 'import_finished', 'invoice_issued',
                  'invoice_overdue', 'driver_document_expiring', 'transfer_status'));
