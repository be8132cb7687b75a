-- Transfers and drivers: a transfer's life is enforced by the database (who may take which step,
-- in which order), every step writes its transfer_events row (who, when, why), receiving moves
-- the vehicle to the receiving site, and only a compliant driver can be assigned.
--
-- Decisions:
-- - 'delivered' stays open: the vehicle is not received yet. The one-open-transfer index of
--   20261123000200 (status not in received, cancelled) already says so and is kept as it is.
-- - The organisation chooses who approves: settings.transfer_approval = 'receiving' (default)
--   or 'sending' site's manager; a delivery to a client address is approved by the sending site.
-- - Steps are checked for signed-in people only (current_user = 'authenticated'), like
--   guard_transfer_update: service jobs, seeds and fixtures write as they please.
-- - The reason of a step is `set local relais.reason` (the audit trail's reason, too).
-- - Mandatory documents: licence, id_card, insurance; professional_card is optional. A document
--   is valid through its expires_on day (Paris). A person named as driver who has no driver
--   record lacks every mandatory document.
-- - transfer_events are written by the trigger only; the hand-written insert policy goes.
-- - Who takes each step: request: the sending site's sales, csm, site_manager, director, admin
--   (policy of 20261123000200); approve: a manager (site_manager, director, admin) of the site
--   the rule names; assign a driver: a manager of either site; picked up, in transit, delivered:
--   the assigned driver; received: any staff of the receiving site (a client delivery: of the
--   sending site); cancel, before pick-up only: the requester or a manager of either site.
-- Sections: tables → indexes → enable RLS → grants → helpers → policies → triggers.

-- ─── tables ──────────────────────────────────────────────────────────────────────────────────
-- A driver of the organisation: an employee (internal) or a partner's driver. One who signs in
-- has a profile (with a 'driver' membership); transfers name that profile.
create table public.drivers (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  profile_id uuid unique references public.profiles (id) on delete set null,
  kind text not null check (kind in ('internal', 'partner')),
  full_name text not null check (length(full_name) between 1 and 200),
  partner_company text check (length(partner_company) <= 200),
  phone text,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (kind = 'partner' or partner_company is null)
);

create table public.driver_documents (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  driver_id uuid not null references public.drivers (id) on delete cascade,
  kind text not null check (kind in ('licence', 'id_card', 'insurance', 'professional_card')),
  number text check (length(number) <= 100),
  -- null: the document does not expire.
  expires_on date,
  -- The file in object storage (src/lib/server/storage), as ticket attachments store theirs.
  storage_key text,
  file_name text,
  uploaded_by uuid references public.profiles (id) default auth.uid(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- Alerts already sent for a document: 30, 7 or 0 days before its expiry, once each.
create table private.driver_document_alerts (
  document_id uuid not null references public.driver_documents (id) on delete cascade,
  days_before integer not null check (days_before in (30, 7, 0)),
  expires_on date not null,
  sent_at timestamptz not null default now(),
  primary key (document_id, days_before, expires_on)
);

-- ─── indexes ─────────────────────────────────────────────────────────────────────────────────
create index drivers_organisation_id_idx on public.drivers (organisation_id);
create index driver_documents_driver_id_idx on public.driver_documents (driver_id, kind);
create index driver_documents_expires_on_idx on public.driver_documents (expires_on);

-- ─── enable RLS ──────────────────────────────────────────────────────────────────────────────
alter table public.drivers enable row level security;
alter table public.driver_documents enable row level security;
alter table private.driver_document_alerts enable row level security;

-- ─── grants ──────────────────────────────────────────────────────────────────────────────────
grant select, insert, update, delete on public.drivers, public.driver_documents to authenticated, service_role;
grant select, insert, delete on private.driver_document_alerts to service_role;
-- A transfer's steps are written by its trigger only (record_transfer_step): nobody signed in
-- records a step by hand, so the trail (and the KPI states read from it) cannot be forged.
revoke insert on public.transfer_events from authenticated;

-- ─── helpers ─────────────────────────────────────────────────────────────────────────────────
-- The mandatory kinds the driver lacks on `on_day` (a Paris day): no document of the kind valid
-- that day, i.e. missing or expired.
create function private.driver_compliance(driver uuid, on_day date default (now() at time zone 'Europe/Paris')::date) returns text[]
language sql stable security definer set search_path = ''
as $$
  select coalesce(array_agg(k.kind order by k.ord), '{}')
  from unnest(array['licence', 'id_card', 'insurance']) with ordinality as k (kind, ord)
  where not exists (
    select 1 from public.driver_documents d
    where d.driver_id = driver and d.kind = k.kind and (d.expires_on is null or d.expires_on >= on_day)
  )
$$;

-- The same for a person named on a transfer; a person with no driver record lacks everything.
create function private.person_compliance(person uuid, on_day date default (now() at time zone 'Europe/Paris')::date) returns text[]
language sql stable security definer set search_path = ''
as $$
  select coalesce(
    (select private.driver_compliance(d.id, on_day) from public.drivers d where d.profile_id = person and d.active),
    array['licence', 'id_card', 'insurance']
  )
$$;

-- The site whose manager approves the transfer, by the organisation's rule.
create function private.transfer_approver_site(org uuid, from_site uuid, to_site uuid) returns uuid
language sql stable security definer set search_path = ''
as $$
  select case
    when to_site is null then from_site
    when coalesce((select o.settings ->> 'transfer_approval' from public.organisations o where o.id = org), 'receiving') = 'sending' then from_site
    else to_site
  end
$$;

-- ─── policies ────────────────────────────────────────────────────────────────────────────────
-- Alerts sent: the daily job's own bookkeeping.
create policy "the service role keeps alerts" on private.driver_document_alerts
  for all to service_role using (true) with check (true);

-- Drivers: managers of the organisation keep the records; a driver reads their own.
create policy "managers read the organisation's drivers" on public.drivers
  for select to authenticated
  using (organisation_id = (select private.organisation_id()) and (select private.has_any_role('{site_manager,director,admin}')));
create policy "drivers read their own record" on public.drivers
  for select to authenticated using (profile_id = (select auth.uid()));
create policy "managers register drivers" on public.drivers
  for insert to authenticated
  with check (
    organisation_id = (select private.organisation_id())
    and (select private.has_any_role('{site_manager,director,admin}'))
    and (profile_id is null or private.drives_for(profile_id, organisation_id))
  );
create policy "managers update drivers" on public.drivers
  for update to authenticated
  using (organisation_id = (select private.organisation_id()) and (select private.has_any_role('{site_manager,director,admin}')))
  with check (
    organisation_id = (select private.organisation_id())
    and (profile_id is null or private.drives_for(profile_id, organisation_id))
  );
create policy "admins delete drivers" on public.drivers
  for delete to authenticated
  using (organisation_id = (select private.organisation_id()) and (select private.has_org_role('{admin}')));

-- Documents: the same managers; a driver reads their own (filing them is a manager's check).
create policy "managers read drivers' documents" on public.driver_documents
  for select to authenticated
  using (organisation_id = (select private.organisation_id()) and (select private.has_any_role('{site_manager,director,admin}')));
create policy "drivers read their own documents" on public.driver_documents
  for select to authenticated
  using (driver_id in (select d.id from public.drivers d where d.profile_id = (select auth.uid())));
create policy "managers file drivers' documents" on public.driver_documents
  for insert to authenticated
  with check (
    organisation_id = (select private.organisation_id())
    and (select private.has_any_role('{site_manager,director,admin}'))
    and driver_id in (select d.id from public.drivers d where d.organisation_id = driver_documents.organisation_id)
  );
create policy "managers update drivers' documents" on public.driver_documents
  for update to authenticated
  using (organisation_id = (select private.organisation_id()) and (select private.has_any_role('{site_manager,director,admin}')))
  with check (
    organisation_id = (select private.organisation_id())
    and driver_id in (select d.id from public.drivers d where d.organisation_id = driver_documents.organisation_id)
  );
create policy "managers delete drivers' documents" on public.driver_documents
  for delete to authenticated
  using (organisation_id = (select private.organisation_id()) and (select private.has_any_role('{site_manager,director,admin}')));

drop policy "who moves a transfer records its steps" on public.transfer_events;

-- Transfers: the receiving site's staff confirm receipt (a client delivery: the sending site's);
-- whoever requested a transfer may withdraw it before pick-up. The step trigger checks the rest.
create policy "receiving staff confirm receipt" on public.transfers
  for update to authenticated
  using (status = 'delivered'
         and (to_site_id in (select private.staff_site_ids())
              or (to_site_id is null and from_site_id in (select private.staff_site_ids()))))
  with check (status = 'received');
create policy "requesters withdraw their requests" on public.transfers
  for update to authenticated
  using (requested_by = (select auth.uid()) and status in ('requested', 'approved', 'driver_assigned'))
  with check (status = 'cancelled' and requested_by = (select auth.uid()));

-- ─── triggers ────────────────────────────────────────────────────────────────────────────────
-- Before a signed-in person's write: the step is the next one, taken by whoever may take it, and
-- a driver named is compliant. Errors carry a stable HINT the server maps to its messages.
-- Invoker rights: current_user tells a signed-in person from the service; the helpers it calls
-- are security definer.
create function private.check_transfer_step() returns trigger
language plpgsql set search_path = ''
as $$
declare
  me uuid := (select auth.uid());
  managers constant public.app_role[] := '{site_manager,director,admin}';
  staff constant public.app_role[] := '{operator,team_lead,csm,sales,site_manager,director,admin}';
  missing text[];
  approver uuid;
begin
  if current_user <> 'authenticated' then
    return new;
  end if;
  if tg_op = 'INSERT' and new.status <> 'requested' then
    raise exception 'a transfer starts as requested' using errcode = '55000', hint = 'transfer_illegal_step';
  end if;

  -- Someone who does not drive for the organisation is refused by the policies (drives_for).
  if new.driver_id is not null and (tg_op = 'INSERT' or new.driver_id is distinct from old.driver_id)
     and private.drives_for(new.driver_id, new.organisation_id) then
    if tg_op = 'UPDATE' and old.status not in ('requested', 'approved', 'driver_assigned') then
      raise exception 'the driver cannot change once the vehicle is picked up' using errcode = '55000', hint = 'transfer_illegal_step';
    end if;
    missing := private.person_compliance(new.driver_id);
    if cardinality(missing) > 0 then
      raise exception 'driver not compliant: % missing or expired', array_to_string(missing, ', ')
        using errcode = '23514', hint = 'driver_not_compliant', detail = array_to_string(missing, ',');
    end if;
  end if;

  if tg_op = 'INSERT' then
    return new;
  end if;
  if new.status = old.status then
    if new.status in ('driver_assigned', 'picked_up', 'in_transit', 'delivered') and new.driver_id is null then
      raise exception 'a driver is needed' using errcode = '23514', hint = 'transfer_driver_needed';
    end if;
    return new;
  end if;

  if new.status = 'cancelled' then
    if old.status not in ('requested', 'approved', 'driver_assigned') then
      raise exception 'a transfer on the road cannot be cancelled' using errcode = '55000', hint = 'transfer_illegal_step';
    end if;
    if not (old.requested_by = me or private.has_site_role(old.from_site_id, managers)
            or coalesce(private.has_site_role(old.to_site_id, managers), false)) then
      raise exception 'only the requester or a manager cancels a transfer' using errcode = '42501', hint = 'transfer_not_yours';
    end if;
    return new;
  end if;

  if old.status::text || '>' || new.status::text not in (
    'requested>approved', 'approved>driver_assigned', 'driver_assigned>picked_up', 'picked_up>in_transit',
    'in_transit>delivered', 'delivered>received'
  ) then
    raise exception 'a transfer goes from % to its next step only, not to %', old.status, new.status
      using errcode = '55000', hint = 'transfer_illegal_step';
  end if;

  case new.status
    when 'approved' then
      approver := private.transfer_approver_site(old.organisation_id, old.from_site_id, old.to_site_id);
      if not private.has_site_role(approver, managers) then
        raise exception 'only a manager of the % site approves this transfer',
          case when approver = old.from_site_id then 'sending' else 'receiving' end
          using errcode = '42501', hint = 'transfer_not_approver';
      end if;
    when 'driver_assigned' then
      if new.driver_id is null then
        raise exception 'a driver is needed' using errcode = '23514', hint = 'transfer_driver_needed';
      end if;
      if not (private.has_site_role(old.from_site_id, managers) or coalesce(private.has_site_role(old.to_site_id, managers), false)) then
        raise exception 'only a manager of either site assigns a driver' using errcode = '42501', hint = 'transfer_not_yours';
      end if;
    when 'picked_up', 'in_transit', 'delivered' then
      if old.driver_id is distinct from me then
        raise exception 'only the assigned driver records this step' using errcode = '42501', hint = 'transfer_not_driver';
      end if;
    when 'received' then
      if not private.has_site_role(coalesce(old.to_site_id, old.from_site_id), staff) then
        raise exception 'only the receiving site records receipt' using errcode = '42501', hint = 'transfer_not_receiver';
      end if;
  end case;
  return new;
end
$$;

-- After a signed-in person's write: the step's row, and the vehicle follows its transfer.
-- Security definer: the writer may not edit vehicles of the other site. current_user is then
-- the owner, so the signed-in case is told by the `role` setting that withUser sets.
create function private.record_transfer_step() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  if current_setting('role', true) is distinct from 'authenticated' then
    return null;
  end if;
  if tg_op = 'UPDATE' and new.status = old.status and new.driver_id is not distinct from old.driver_id then
    return null;
  end if;
  insert into public.transfer_events (transfer_id, from_site_id, to_site_id, client_account_id, driver_id, status, note, actor_id)
  values (new.id, new.from_site_id, new.to_site_id, new.client_account_id, new.driver_id, new.status,
          coalesce(nullif(current_setting('relais.reason', true), ''), case when tg_op = 'INSERT' then new.reason end),
          (select auth.uid()));
  if tg_op = 'UPDATE' and new.status <> old.status then
    if new.status = 'picked_up' then
      -- The vehicle leaves its bay; it stays in the sending site's stock until received.
      update public.vehicles set status = 'in_transit', bay_id = null where id = new.vehicle_id;
    elsif new.status = 'received' and new.to_site_id is not null then
      update public.vehicles
      set site_id = new.to_site_id, bay_id = null,
          status = case when client_account_id is null then 'in_stock'::public.vehicle_status else 'on_site' end
      where id = new.vehicle_id;
    elsif new.status = 'received' then
      update public.vehicles set status = 'delivered', bay_id = null where id = new.vehicle_id;
    end if;
  end if;
  return null;
end
$$;

create trigger check_transfer_step before insert or update on public.transfers
  for each row execute function private.check_transfer_step();
create trigger record_transfer_step after insert or update on public.transfers
  for each row execute function private.record_transfer_step();

create trigger touch_updated_at before update on public.drivers
  for each row execute function private.touch_updated_at();
create trigger touch_updated_at before update on public.driver_documents
  for each row execute function private.touch_updated_at();

-- Who filed or changed a compliance document, and a driver's record, is on the trail.
create trigger audit after insert or update or delete on public.drivers
  for each row execute function private.record_audit();
create trigger audit after insert or update or delete on public.driver_documents
  for each row execute function private.record_audit();

-- The driver's own screens update live; managers' screens reload on the transfer's changes.
create trigger capture_change after insert or update or delete on public.drivers
  for each row execute function private.capture_change('', '', 'profile_id');

revoke all on function private.driver_compliance(uuid, date), private.person_compliance(uuid, date),
  private.transfer_approver_site(uuid, uuid, uuid), private.check_transfer_step(), private.record_transfer_step() from public;
grant execute on function private.driver_compliance(uuid, date), private.person_compliance(uuid, date),
  private.transfer_approver_site(uuid, uuid, uuid) to authenticated, service_role;
