-- Dealer CRM: one customer record per person across the group's sites, every interaction
-- whichever site it happened at, leads assigned by the organisation's rules, a sales pipeline
-- per site, and quotes for a vehicle of any site.
--
-- Decisions:
-- - The customer and the history are the group's: every sales person and site manager of a
--   dealership, and every director and admin of the organisation reads all of it (a customer
--   who visited Lyon and then calls Marseille is one person). A logistics hub sells nothing:
--   its staff, its manager included, have no CRM. What stays per site is money: a quote's margin is shown only to
--   those who read the selling site's costs (public.quote_margins).
-- - A lead is the sales opportunity: it carries the pipeline stage and its value. It belongs
--   to the site it is assigned to; until then (no rule applied), only organisation-wide roles
--   see it.
-- - Assignment runs in the server (src/lib/server/crm/assign.ts) with the rules of
--   public.lead_rules, in order: site rules pick the site, person rules the sales person, and
--   the fallback closes the list. The rule that chose the site and the one that chose the
--   person are kept on the lead with the figures behind them (distance, median).
-- - First response: stamped by a trigger the first time the assignee moves the lead on or
--   records an interaction for it; the median over 30 days ranks the fastest responder.
-- - A web form submits through public.submit_web_lead as anon: the form key is the only
--   credential, and the function writes nothing but a customer, a lead and its interaction.
-- Sections: types → tables → indexes → enable RLS → grants → helpers → policies → triggers.

-- ─── types ───────────────────────────────────────────────────────────────────────────────────
create type public.interaction_kind as enum ('visit', 'call', 'web_form', 'email', 'test_drive', 'quote', 'purchase');
create type public.lead_stage as enum ('new', 'contacted', 'test_drive', 'quote', 'order', 'delivered', 'lost');
create type public.lead_source as enum ('web_form', 'manual', 'import');
create type public.lead_rule_kind as enum ('vehicle_site', 'nearest_site', 'fastest_responder', 'round_robin', 'fallback');

-- ─── keys of duplicate detection ────────────────────────────────────────────────────────────
-- The same mailbox, the same number however it was typed: one definition for the generated
-- columns, the web form and the server's searches (immutable, so generated columns may use it).
create function public.customer_email_key(p_email text) returns text
language sql immutable set search_path = ''
as $$ select lower(btrim(p_email)) $$;
create function public.customer_phone_key(p_phone text) returns text
language sql immutable set search_path = ''
as $$ select nullif(regexp_replace(regexp_replace(p_phone, '[^0-9+]', '', 'g'), '^(\+33|0033)', '0'), '') $$;
grant execute on function public.customer_email_key(text), public.customer_phone_key(text) to anon, authenticated, service_role;

-- ─── tables ──────────────────────────────────────────────────────────────────────────────────
create table public.customers (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  first_name text check (length(first_name) <= 100),
  last_name text not null check (length(last_name) between 1 and 100),
  email text check (email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' and length(email) <= 254),
  phone text check (length(phone) <= 40),
  postcode text check (postcode ~ '^[0-9]{5}$'),
  city text check (length(city) <= 100),
  -- Keys of duplicate detection: the same mailbox, the same number however it was typed.
  email_key text generated always as (public.customer_email_key(email)) stored,
  phone_key text generated always as (public.customer_phone_key(phone)) stored,
  -- The site where the customer was first met.
  first_site_id uuid references public.sites (id) on delete set null,
  created_by uuid references public.profiles (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (email is not null or phone is not null)
);

create table public.leads (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  -- The site the lead is assigned to; null until a rule (or a person) assigns it.
  site_id uuid references public.sites (id) on delete cascade,
  customer_id uuid not null references public.customers (id) on delete cascade,
  source public.lead_source not null,
  -- The site whose web form the lead came through, if any.
  form_site_id uuid references public.sites (id) on delete set null,
  requested_vehicle_id uuid references public.vehicles (id) on delete set null,
  message text check (length(message) <= 4000),
  assigned_to uuid references public.profiles (id) on delete set null,
  assigned_at timestamptz,
  -- Which rules chose the site and the person, and the figures they used
  -- ({"distance_km": 12.4} or {"median_minutes": 7}); 'manual' when a person chose.
  site_rule text,
  person_rule text,
  assignment_detail jsonb not null default '{}',
  first_response_at timestamptz,
  escalated_at timestamptz,
  stage public.lead_stage not null default 'new',
  stage_changed_at timestamptz not null default now(),
  lost_reason text check (length(lost_reason) <= 500),
  -- What the sale is worth to the pipeline (the requested vehicle's price, or an estimate).
  value_cents bigint not null default 0 check (value_cents >= 0),
  -- Order within the stage's column of the pipeline (fractional index).
  position text not null default 'a0' collate "C",
  created_by uuid references public.profiles (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (stage <> 'lost' or lost_reason is not null),
  check ((assigned_to is null) or (site_id is not null))
);

create table public.customer_interactions (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  customer_id uuid not null references public.customers (id) on delete cascade,
  site_id uuid not null references public.sites (id) on delete cascade,
  kind public.interaction_kind not null,
  lead_id uuid references public.leads (id) on delete set null,
  vehicle_id uuid references public.vehicles (id) on delete set null,
  note text check (length(note) <= 4000),
  by_user_id uuid references public.profiles (id) on delete set null default auth.uid(),
  occurred_at timestamptz not null default now(),
  created_at timestamptz not null default now()
);

-- The organisation's assignment rules, evaluated in `position` order. A site's own rules
-- (site_id set) replace the organisation's for leads arriving through that site's form.
create table public.lead_rules (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  site_id uuid references public.sites (id) on delete cascade,
  position integer not null check (position >= 0),
  kind public.lead_rule_kind not null,
  -- nearest_site: {"max_km": 150}; fallback: {"site_id": "..."}.
  params jsonb not null default '{}' check (jsonb_typeof(params) = 'object'),
  enabled boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- A site's public lead form: the key in its address is all a visitor needs to submit.
create table public.lead_forms (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  site_id uuid not null references public.sites (id) on delete cascade,
  public_key text not null unique default replace(gen_random_uuid()::text, '-', '') check (public_key ~ '^[0-9a-f]{32}$'),
  title text not null default 'Contact' check (length(title) between 1 and 200),
  enabled boolean not null default true,
  created_at timestamptz not null default now()
);

create type public.quote_status as enum ('draft', 'sent', 'accepted', 'declined');

-- A quote, and once accepted the order, for a vehicle of any of the group's sites. The selling
-- site is the sales person's; its legal details go on the sale documents. When the vehicle
-- stands elsewhere, transfer_id links the transfer that brings it.
create table public.quotes (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  selling_site_id uuid not null references public.sites (id) on delete cascade,
  lead_id uuid references public.leads (id) on delete set null,
  customer_id uuid not null references public.customers (id) on delete cascade,
  vehicle_id uuid not null references public.vehicles (id) on delete restrict,
  number text not null check (length(number) between 1 and 40),
  status public.quote_status not null default 'draft',
  price_cents bigint not null check (price_cents > 0),
  valid_until date,
  transfer_id uuid references public.transfers (id) on delete set null,
  created_by uuid references public.profiles (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  accepted_at timestamptz,
  unique (organisation_id, number)
);

-- ─── indexes ─────────────────────────────────────────────────────────────────────────────────
create index customers_email_key_idx on public.customers (organisation_id, email_key) where email_key is not null;
create index customers_phone_key_idx on public.customers (organisation_id, phone_key) where phone_key is not null;
create index customers_name_idx on public.customers (organisation_id, lower(last_name), lower(first_name));
create index leads_site_stage_idx on public.leads (site_id, stage, position);
create index leads_assigned_idx on public.leads (assigned_to, assigned_at);
create index leads_customer_idx on public.leads (customer_id);
create index leads_unanswered_idx on public.leads (assigned_at) where first_response_at is null and escalated_at is null;
create index leads_org_unassigned_idx on public.leads (organisation_id, created_at) where site_id is null;
create index customer_interactions_customer_idx on public.customer_interactions (customer_id, occurred_at desc);
create index customer_interactions_lead_idx on public.customer_interactions (lead_id);
create index lead_rules_org_idx on public.lead_rules (organisation_id, site_id, position);
create index lead_forms_site_idx on public.lead_forms (site_id);
create index quotes_customer_idx on public.quotes (customer_id);
create index quotes_lead_idx on public.quotes (lead_id);
create index quotes_selling_site_idx on public.quotes (selling_site_id, created_at desc);

-- ─── enable RLS ──────────────────────────────────────────────────────────────────────────────
alter table public.customers enable row level security;
alter table public.leads enable row level security;
alter table public.customer_interactions enable row level security;
alter table public.lead_rules enable row level security;
alter table public.lead_forms enable row level security;
alter table public.quotes enable row level security;

-- ─── grants ──────────────────────────────────────────────────────────────────────────────────
grant select, insert, update, delete on public.customers, public.leads, public.customer_interactions,
  public.lead_rules, public.lead_forms, public.quotes to authenticated, service_role;

-- ─── helpers ─────────────────────────────────────────────────────────────────────────────────
-- Does the caller sell for the organisation: sales or site manager at one of its dealerships
-- (a logistics hub sells nothing), or a director or admin?
create function private.works_crm() returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1
    from public.memberships m
    left join public.sites s on s.id = m.site_id
    where m.user_id = (select auth.uid())
      and (m.role in ('director', 'admin') or (m.role in ('sales', 'site_manager') and s.kind = 'dealership'))
  )
$$;

-- Sites where the caller may work leads and quotes: the dealerships where they are sales or
-- site manager, every site of the organisation for directors and admins.
create function private.crm_site_ids() returns setof uuid
language sql stable security definer set search_path = ''
as $$
  select s.id
  from public.memberships m
  join public.sites s on s.organisation_id = m.organisation_id and (m.site_id is null or m.site_id = s.id)
  where m.user_id = (select auth.uid())
    and (m.role in ('director', 'admin') or (m.role in ('sales', 'site_manager') and s.kind = 'dealership'))
$$;

-- Does `p_user` work leads at `p_site`? A lead is assigned to nobody else.
create function private.sells_at(p_user uuid, p_site uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1
    from public.memberships m
    join public.sites s on s.id = p_site and s.organisation_id = m.organisation_id
    where m.user_id = p_user
      and (m.role in ('director', 'admin') or (m.role in ('sales', 'site_manager') and s.kind = 'dealership'))
      and (m.site_id is null or m.site_id = p_site)
  )
$$;

-- Sites whose sale margins the caller reads: the sites they manage, and their own site for
-- sales people when the organisation shows margins to sales (settings.sales_see_margin).
create function private.sale_margin_site_ids() returns setof uuid
language sql stable security definer set search_path = ''
as $$
  select id from private.managed_site_ids() as m (id)
  union
  select m.site_id
  from public.memberships m
  join public.organisations o on o.id = m.organisation_id
  where m.user_id = (select auth.uid()) and m.role = 'sales'
    and coalesce((o.settings ->> 'sales_see_margin')::boolean, false)
$$;

revoke all on function private.works_crm(), private.crm_site_ids(), private.sells_at(uuid, uuid), private.sale_margin_site_ids() from public;
grant execute on function private.works_crm(), private.crm_site_ids(), private.sells_at(uuid, uuid), private.sale_margin_site_ids()
  to authenticated, service_role;

-- A quote with its margin, for those who read the selling site's margins (null for others).
create view public.quote_margins with (security_invoker = true) as
select q.id, q.selling_site_id,
       case when q.selling_site_id in (select private.sale_margin_site_ids())
            then q.price_cents - v.purchase_price_cents end as margin_cents
from public.quotes q
join public.vehicles v on v.id = q.vehicle_id;

revoke all on public.quote_margins from public, anon, authenticated;
grant select on public.quote_margins to authenticated, service_role;

-- ─── policies ────────────────────────────────────────────────────────────────────────────────
create policy "sellers read the group's customers" on public.customers
  for select to authenticated
  using (organisation_id = (select private.organisation_id()) and (select private.works_crm()));
create policy "sellers record customers" on public.customers
  for insert to authenticated
  with check (organisation_id = (select private.organisation_id()) and (select private.works_crm()));
create policy "sellers update customers" on public.customers
  for update to authenticated
  using (organisation_id = (select private.organisation_id()) and (select private.works_crm()))
  with check (organisation_id = (select private.organisation_id()));
-- Deleting is merging: managers only.
create policy "managers merge customers" on public.customers
  for delete to authenticated
  using (organisation_id = (select private.organisation_id()) and (select private.works_crm())
         and (select private.has_any_role(array['site_manager', 'director', 'admin']::public.app_role[])));

create policy "sellers read the group's history" on public.customer_interactions
  for select to authenticated
  using (organisation_id = (select private.organisation_id()) and (select private.works_crm()));
-- In one's own name: an interaction by the assignee is their first response (fastest responder).
create policy "sellers record interactions at their sites" on public.customer_interactions
  for insert to authenticated
  with check (organisation_id = (select private.organisation_id()) and site_id in (select private.crm_site_ids())
              and by_user_id = (select auth.uid()));
create policy "managers correct interactions" on public.customer_interactions
  for update to authenticated
  using (site_id in (select private.managed_site_ids()) and site_id in (select private.crm_site_ids()))
  with check (site_id in (select private.managed_site_ids()) and site_id in (select private.crm_site_ids()));
create policy "managers delete interactions" on public.customer_interactions
  for delete to authenticated
  using (site_id in (select private.managed_site_ids()) and site_id in (select private.crm_site_ids()));

-- Leads: a site's sellers work the site's leads; unassigned ones are the organisation's roles'.
create policy "sellers read their sites' leads" on public.leads
  for select to authenticated
  using (organisation_id = (select private.organisation_id())
         and (site_id in (select private.crm_site_ids())
              or (site_id is null and (select private.has_org_role(array['director', 'admin']::public.app_role[])))));
create policy "sellers enter leads" on public.leads
  for insert to authenticated
  with check (organisation_id = (select private.organisation_id())
              and (site_id in (select private.crm_site_ids())
                   or (site_id is null and (select private.works_crm())))
              and (assigned_to is null or private.sells_at(assigned_to, site_id)));
create policy "sellers work their sites' leads" on public.leads
  for update to authenticated
  using (site_id in (select private.crm_site_ids())
         or (site_id is null and organisation_id = (select private.organisation_id())
             and (select private.has_org_role(array['director', 'admin']::public.app_role[]))))
  with check (organisation_id = (select private.organisation_id())
              and (site_id in (select private.crm_site_ids()) or site_id is null)
              and (assigned_to is null or private.sells_at(assigned_to, site_id)));
create policy "managers delete leads" on public.leads
  for delete to authenticated
  using (site_id in (select private.managed_site_ids()) and site_id in (select private.crm_site_ids()));

-- The organisation's rules, and a site's own to those who sell there (a new site's rules stay
-- its own until someone is granted a role at it).
create policy "sellers read the rules" on public.lead_rules
  for select to authenticated
  using (organisation_id = (select private.organisation_id()) and (select private.works_crm())
         and (site_id is null or site_id in (select private.crm_site_ids())));
-- The organisation's rules are its admins' and directors'; a dealership's own, its manager's too.
create policy "managers set the rules" on public.lead_rules
  for all to authenticated
  using (organisation_id = (select private.organisation_id())
         and ((select private.has_org_role(array['director', 'admin']::public.app_role[]))
              or (site_id in (select private.managed_site_ids()) and site_id in (select private.crm_site_ids()))))
  with check (organisation_id = (select private.organisation_id())
              and ((select private.has_org_role(array['director', 'admin']::public.app_role[]))
                   or (site_id in (select private.managed_site_ids()) and site_id in (select private.crm_site_ids()))));

create policy "sellers read their sites' forms" on public.lead_forms
  for select to authenticated
  using (site_id in (select private.crm_site_ids()));
create policy "managers keep their sites' forms" on public.lead_forms
  for all to authenticated
  using (site_id in (select private.managed_site_ids()) and site_id in (select private.crm_site_ids()))
  with check (site_id in (select private.managed_site_ids()) and site_id in (select private.crm_site_ids())
              and organisation_id = (select private.organisation_id()));

create policy "sellers read the group's quotes" on public.quotes
  for select to authenticated
  using (organisation_id = (select private.organisation_id()) and (select private.works_crm()));
create policy "sellers quote from their sites" on public.quotes
  for insert to authenticated
  with check (organisation_id = (select private.organisation_id()) and selling_site_id in (select private.crm_site_ids()));
create policy "sellers move their sites' quotes on" on public.quotes
  for update to authenticated
  using (selling_site_id in (select private.crm_site_ids()))
  with check (selling_site_id in (select private.crm_site_ids()));
create policy "managers delete quotes" on public.quotes
  for delete to authenticated
  using (selling_site_id in (select private.managed_site_ids()) and selling_site_id in (select private.crm_site_ids()));

-- ─── triggers ────────────────────────────────────────────────────────────────────────────────
create trigger touch_updated_at before update on public.customers
  for each row execute function private.touch_updated_at();
create trigger touch_updated_at before update on public.leads
  for each row execute function private.touch_updated_at();
create trigger touch_updated_at before update on public.lead_rules
  for each row execute function private.touch_updated_at();
create trigger touch_updated_at before update on public.quotes
  for each row execute function private.touch_updated_at();

-- A lead's clocks: a new stage restarts stage_changed_at; a new assignee restarts the
-- response clock and any escalation; the assignee moving the lead on is their first response.
-- People never set the response and escalation stamps by hand (they rank the fastest
-- responder and drive escalation): only this trigger, definer functions and jobs write them.
create function private.lead_clocks() returns trigger
language plpgsql set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    if current_user = 'authenticated' then
      new.first_response_at := null;
      new.escalated_at := null;
    end if;
    return new;
  end if;
  if current_user = 'authenticated' then
    new.first_response_at := old.first_response_at;
    new.escalated_at := old.escalated_at;
  end if;
  if new.stage is distinct from old.stage then
    new.stage_changed_at := now();
    if new.first_response_at is null and new.assigned_to = (select auth.uid()) then
      new.first_response_at := now();
    end if;
  end if;
  if new.assigned_to is distinct from old.assigned_to then
    new.assigned_at := case when new.assigned_to is null then null else now() end;
    new.first_response_at := null;
    new.escalated_at := null;
  end if;
  return new;
end
$$;
create trigger lead_clocks before insert or update on public.leads
  for each row execute function private.lead_clocks();

-- An interaction recorded by the lead's assignee is their first response, if none yet.
create function private.interaction_answers_lead() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  update public.leads l set first_response_at = new.occurred_at
  where l.id = new.lead_id and l.first_response_at is null and l.assigned_to = new.by_user_id
    and new.kind <> 'web_form';
  return null;
end
$$;
create trigger interaction_answers_lead after insert on public.customer_interactions
  for each row when (new.lead_id is not null) execute function private.interaction_answers_lead();

-- Live: leads and quotes go to their sites' rooms (a lead not assigned yet to nobody's: only
-- directors and admins read it, and the form's site must not hear of a lead it may not read);
-- customers and interactions to the sites where they happened (the customer's first site).
create trigger capture_change after insert or update or delete on public.leads
  for each row execute function private.capture_change('site_id', '', 'assigned_to');
create trigger capture_change after insert or update or delete on public.customer_interactions
  for each row execute function private.capture_change('site_id', '', '');
create trigger capture_change after insert or update or delete on public.customers
  for each row execute function private.capture_change('first_site_id', '', '');
create trigger capture_change after insert or update or delete on public.quotes
  for each row execute function private.capture_change('selling_site_id', '', '');

-- The audit trail follows a lead's assignment and stage, and every quote (filed under the
-- selling site, which the trail's site now also reads).
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
    coalesce(rec ->> 'site_id', rec ->> 'from_site_id', rec ->> 'selling_site_id')::uuid,
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

create trigger record_audit after insert or update or delete on public.leads
  for each row execute function private.record_audit();
create trigger record_audit after insert or update or delete on public.quotes
  for each row execute function private.record_audit();

-- ─── the public form ─────────────────────────────────────────────────────────────────────────
-- A visitor's submission: finds the customer by email or phone (or creates one), writes the
-- lead and its web_form interaction, and returns the lead's id. Anon may call it; the form
-- key is checked here, and nothing else is writable by anon.
create function public.submit_web_lead(
  form_key text, p_first_name text, p_last_name text, p_email text, p_phone text,
  p_postcode text, p_message text, p_vehicle_id uuid
) returns uuid
language plpgsql security definer set search_path = ''
as $$
declare
  form public.lead_forms;
  found_customer uuid;
  new_lead uuid;
  vehicle_price bigint;
begin
  select * into form from public.lead_forms f where f.public_key = form_key and f.enabled;
  if form.id is null then
    raise exception 'unknown form' using errcode = 'P0002';
  end if;
  select c.id into found_customer from public.customers c
  where c.organisation_id = form.organisation_id
    and ((p_email is not null and c.email_key = public.customer_email_key(p_email))
         or (p_phone is not null and c.phone_key = public.customer_phone_key(p_phone)))
  order by c.created_at limit 1;
  if found_customer is null then
    insert into public.customers (organisation_id, first_name, last_name, email, phone, postcode, first_site_id, created_by)
    values (form.organisation_id, p_first_name, p_last_name, p_email, p_phone, p_postcode, form.site_id, null)
    returning id into found_customer;
  else
    update public.customers c set postcode = coalesce(p_postcode, c.postcode),
                                 email = coalesce(c.email, p_email), phone = coalesce(c.phone, p_phone)
    where c.id = found_customer;
  end if;
  -- Only a vehicle of the organisation's dealer stock may be named.
  select v.sale_price_cents into vehicle_price from public.vehicles v
  where v.id = p_vehicle_id and v.organisation_id = form.organisation_id and v.client_account_id is null;
  if not found then
    p_vehicle_id := null;
  end if;
  insert into public.leads (organisation_id, customer_id, source, form_site_id, requested_vehicle_id, message, value_cents, created_by)
  values (form.organisation_id, found_customer, 'web_form', form.site_id, p_vehicle_id, p_message, coalesce(vehicle_price, 0), null)
  returning id into new_lead;
  insert into public.customer_interactions (organisation_id, customer_id, site_id, kind, lead_id, vehicle_id, note, by_user_id)
  values (form.organisation_id, found_customer, form.site_id, 'web_form', new_lead, p_vehicle_id, p_message, null);
  return new_lead;
end
$$;
revoke all on function public.submit_web_lead(text, text, text, text, text, text, text, uuid) from public;
grant execute on function public.submit_web_lead(text, text, text, text, text, text, text, uuid) to anon, service_role;

-- What a visitor's page shows of a form: its title and the site's name, nothing else.
create function public.lead_form_page(form_key text)
returns table (title text, site_name text, site_city text)
language sql stable security definer set search_path = ''
as $$
  select f.title, s.name, s.city from public.lead_forms f join public.sites s on s.id = f.site_id
  where f.public_key = form_key and f.enabled
$$;
revoke all on function public.lead_form_page(text) from public;
grant execute on function public.lead_form_page(text) to anon, authenticated, service_role;
