-- Policy hardening, from the RLS matrix (tests/integration/rls): every write now stays inside the
-- writer's organisation, and every row's client account, thread, vehicle and driver must belong
-- to the same organisation and site as the row itself. Without these checks a person could
-- attach a row to another tenant's account and make it visible there.
-- Sections: grants → helpers → policies → triggers.

-- ─── grants ──────────────────────────────────────────────────────────────────────────────────
-- A Supabase project grants everything on new public tables to anon and authenticated by
-- default; Relais relies on explicit grants only. TRUNCATE would skip RLS altogether.
alter default privileges in schema public revoke all on tables from anon, authenticated;
revoke all on all tables in schema public from anon;
revoke truncate, references, trigger on all tables in schema public from authenticated;

-- ─── helpers ─────────────────────────────────────────────────────────────────────────────────
-- Organisation-wide helpers count only memberships of the caller's own organisation.
create or replace function private.has_org_role(roles public.app_role[]) returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.memberships m
    where m.user_id = (select auth.uid()) and m.site_id is null and m.role = any (roles)
      and m.organisation_id = (select p.organisation_id from public.profiles p where p.id = (select auth.uid()))
  )
$$;
create or replace function private.has_any_role(roles public.app_role[]) returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.memberships m
    where m.user_id = (select auth.uid()) and m.role = any (roles)
      and m.organisation_id = (select p.organisation_id from public.profiles p where p.id = (select auth.uid()))
  )
$$;
create or replace function private.is_staff() returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.memberships m
    where m.user_id = (select auth.uid()) and m.role <> 'driver'
      and m.organisation_id = (select p.organisation_id from public.profiles p where p.id = (select auth.uid()))
  )
$$;

-- Is the person (and the site, if any) of the organisation?
create function private.belongs_to(person uuid, site uuid, org uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (select 1 from public.profiles p where p.id = person and p.organisation_id = org)
     and (site is null or exists (select 1 from public.sites s where s.id = site and s.organisation_id = org))
$$;

-- A client user of the account's organisation: a profile there and no staff role anywhere.
create function private.may_join_client_account(person uuid, account uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.profiles p join public.client_accounts ca on ca.organisation_id = p.organisation_id
    where p.id = person and ca.id = account
  ) and not exists (select 1 from public.memberships m where m.user_id = person)
$$;

-- A client account named by a row belongs to the organisation of the row's site.
create function private.account_of_site(site uuid, account uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
  select account is null or exists (
    select 1 from public.sites s join public.client_accounts ca on ca.organisation_id = s.organisation_id
    where s.id = site and ca.id = account
  )
$$;

-- The vehicle stands at the site; the person drives for the organisation.
create function private.vehicle_at(vehicle uuid, site uuid) returns boolean
language sql stable security definer set search_path = ''
as $$ select exists (select 1 from public.vehicles v where v.id = vehicle and v.site_id = site) $$;
create function private.drives_for(person uuid, org uuid) returns boolean
language sql stable security definer set search_path = ''
as $$ select exists (select 1 from public.memberships m where m.user_id = person and m.organisation_id = org and m.role = 'driver') $$;

revoke all on all functions in schema private from public;
grant execute on all functions in schema private to authenticated, service_role;

-- ─── profiles: admins administer people ──────────────────────────────────────────────────────
create policy "admins update profiles of their organisation" on public.profiles
  for update to authenticated
  using (organisation_id = (select private.organisation_id()) and (select private.has_org_role('{admin}')))
  with check (organisation_id = (select private.organisation_id()));

-- ─── memberships: only the organisation's people, at the organisation's sites ───────────────
alter policy "managers grant site roles, admins any" on public.memberships
  with check (
    organisation_id = (select private.organisation_id())
    and private.belongs_to(user_id, site_id, organisation_id)
    and ((select private.has_org_role('{admin}'))
         or (site_id is not null and role not in ('director', 'admin') and private.has_site_role(site_id, '{site_manager}')))
  );
alter policy "admins change memberships" on public.memberships
  with check (organisation_id = (select private.organisation_id()) and private.belongs_to(user_id, site_id, organisation_id));

-- ─── client members: client users of the organisation only ──────────────────────────────────
alter policy "csms and admins add client members" on public.client_members
  with check (
    (select private.has_any_role('{csm,admin}'))
    and client_account_id in (select ca.id from public.client_accounts ca where ca.organisation_id = (select private.organisation_id()))
    and private.may_join_client_account(user_id, client_account_id)
  );

-- ─── client accounts named by rows belong to the site's organisation ────────────────────────
alter policy "site staff register vehicles" on public.vehicles
  with check (
    organisation_id = (select private.organisation_id())
    and private.has_site_role(site_id, '{operator,team_lead,csm,sales,site_manager,admin}')
    and private.account_of_site(site_id, client_account_id)
  );
alter policy "site staff update vehicles" on public.vehicles
  with check (
    organisation_id = (select private.organisation_id())
    and private.has_site_role(site_id, '{operator,team_lead,csm,sales,site_manager,director,admin}')
    and private.account_of_site(site_id, client_account_id)
  );
alter policy "csms and managers create orders" on public.orders
  with check (private.has_site_role(site_id, '{csm,site_manager,admin}') and private.account_of_site(site_id, client_account_id));
alter policy "site staff update orders" on public.orders
  with check (private.has_site_role(site_id, '{team_lead,csm,site_manager,admin}') and private.account_of_site(site_id, client_account_id));
alter policy "csms and managers create tasks" on public.tasks
  with check (private.has_site_role(site_id, '{csm,site_manager,admin}') and private.account_of_site(site_id, client_account_id));
alter policy "site staff update tasks" on public.tasks
  with check (private.has_site_role(site_id, '{operator,team_lead,csm,site_manager,admin}') and private.account_of_site(site_id, client_account_id));
alter policy "yard staff record movements" on public.movements
  with check (
    private.has_site_role(site_id, '{operator,team_lead,site_manager,admin}') and recorded_by = (select auth.uid())
    and private.account_of_site(site_id, client_account_id)
  );
alter policy "yard staff record inspections" on public.inspections
  with check (
    private.has_site_role(site_id, '{operator,team_lead,site_manager,admin}') and created_by = (select auth.uid())
    and private.account_of_site(site_id, client_account_id)
  );
alter policy "site staff open threads" on public.ticket_threads
  with check (site_id in (select private.staff_site_ids()) and private.account_of_site(site_id, client_account_id));
alter policy "site staff update threads" on public.ticket_threads
  with check (site_id in (select private.staff_site_ids()) and private.account_of_site(site_id, client_account_id));

-- ─── ticket messages carry their thread's site and client ───────────────────────────────────
alter policy "site staff write messages" on public.ticket_messages
  with check (
    author_id = (select auth.uid())
    and site_id in (select private.staff_site_ids())
    and thread_id in (select t.id from public.ticket_threads t
                      where t.site_id = ticket_messages.site_id
                        and t.client_account_id is not distinct from ticket_messages.client_account_id)
  );

-- ─── clients add tasks to their order, at its site, for their vehicles ───────────────────────
alter policy "clients create tasks of their own orders" on public.tasks
  with check (
    client_account_id in (select private.client_account_ids())
    and order_id in (select o.id from public.orders o where o.client_account_id = tasks.client_account_id and o.site_id = tasks.site_id)
    and vehicle_id in (select v.id from public.vehicles v where v.client_account_id = tasks.client_account_id)
    and service_id in (select s.id from public.services s where s.site_id = tasks.site_id)
  );

-- ─── transfers convey a vehicle of the sending site, driven by one of the group's drivers ────
alter policy "sending staff request transfers" on public.transfers
  with check (
    organisation_id = (select private.organisation_id())
    and private.has_site_role(from_site_id, '{sales,csm,site_manager,director,admin}')
    and private.vehicle_at(vehicle_id, from_site_id)
    and private.account_of_site(from_site_id, client_account_id)
    and (driver_id is null or private.drives_for(driver_id, organisation_id))
  );
alter policy "managers of either site move transfers on" on public.transfers
  with check (
    organisation_id = (select private.organisation_id())
    and private.account_of_site(from_site_id, client_account_id)
    and (driver_id is null or private.drives_for(driver_id, organisation_id))
  );

-- What a transfer conveys never changes; a driver (who manages neither site) only moves it on.
create function private.guard_transfer_update() returns trigger
language plpgsql set search_path = ''
as $$
begin
  if current_user <> 'authenticated' then
    return new;
  end if;
  if (new.organisation_id, new.vehicle_id, new.from_site_id) is distinct from (old.organisation_id, old.vehicle_id, old.from_site_id) then
    raise exception 'a transfer keeps its vehicle and its sending site' using errcode = '42501';
  end if;
  if old.driver_id = (select auth.uid())
     and not private.has_site_role(old.from_site_id, '{site_manager,director,admin}')
     and not coalesce(private.has_site_role(old.to_site_id, '{site_manager,director,admin}'), false)
     and (new.to_site_id, new.client_account_id, new.delivery_address, new.reason, new.driver_id, new.requested_by)
         is distinct from (old.to_site_id, old.client_account_id, old.delivery_address, old.reason, old.driver_id, old.requested_by) then
    raise exception 'a driver only moves their assignment on' using errcode = '42501';
  end if;
  return new;
end
$$;
create trigger guard_transfer_update before update on public.transfers
  for each row execute function private.guard_transfer_update();

-- ─── transfer steps carry their transfer's routing; only its driver acts as driver ──────────
alter policy "who moves a transfer records its steps" on public.transfer_events
  with check (
    actor_id = (select auth.uid())
    and transfer_id in (select t.id from public.transfers t
                        where t.from_site_id = transfer_events.from_site_id
                          and t.to_site_id is not distinct from transfer_events.to_site_id
                          and t.client_account_id is not distinct from transfer_events.client_account_id
                          and t.driver_id is not distinct from transfer_events.driver_id)
    and (private.has_site_role(from_site_id, '{sales,csm,site_manager,director,admin}')
         or private.has_site_role(to_site_id, '{site_manager,director,admin}')
         or driver_id = (select auth.uid()))
  );

-- ─── authorship ──────────────────────────────────────────────────────────────────────────────
-- Who created an order or a thread, and who requested a transfer, is part of the record:
-- restrictive policies (ANDed with the ones above) make it the signed-in person.
create policy "orders are signed by their author" on public.orders
  as restrictive for insert to authenticated with check (created_by = (select auth.uid()));
create policy "threads are signed by their author" on public.ticket_threads
  as restrictive for insert to authenticated with check (created_by = (select auth.uid()));
create policy "transfers are signed by their requester" on public.transfers
  as restrictive for insert to authenticated with check (requested_by = (select auth.uid()));
