-- Yard gate (issue 4): gate in, gate out and bay moves, each one transaction in one function
-- call, run with the caller's rights (security invoker) so row-level security decides who may
-- act at which site; a bay suggestion; photos named by inspections; tasks flagged by operators.
--
-- Decisions:
-- - A phone sends an idempotency key with each action. The functions take a transaction-level
--   advisory lock on the key first, so a replay racing its original waits for it and then finds
--   its movement: the same key twice writes once and answers the first result.
-- - Refusals carry a stable HINT the server maps to its messages (bay_taken, vehicle_not_found,
--   bay_not_found, already_on_site, not_on_site, vehicle_elsewhere, details_needed,
--   order_not_found, key_reused). The one-vehicle-per-bay index stays the real guard; the
--   server maps its violation to bay_taken too.
-- - A gate-in finds the vehicle by VIN (else by plate) among those the caller sees, or registers
--   it in the site's organisation. A vehicle standing at another site is refused: receiving a
--   transfer moves it. It becomes on_site (in_stock for a dealer's own vehicle, as a received
--   transfer does), arrived_at is the server's clock, its mileage the reading.
-- - A gate-out is the order's delivery: the movement names the order, the vehicle is delivered,
--   its bay released.
-- - Inspection photos are storage keys under yard/<site>/<vehicle>/, built by the functions from
--   the names the server chose. A photo is served through an inspection of that same site and
--   vehicle only, so naming another site's key in one's own inspection reads nothing.
-- - Audit: movements and tasks are already audited by trigger (20261123000400); inspections
--   are now too.
-- Sections: tables → indexes → helpers → functions → triggers.

-- ─── tables ──────────────────────────────────────────────────────────────────────────────────
-- The order a gate-out delivers.
alter table public.movements add column order_id uuid references public.orders (id) on delete set null;

-- Damage points: [{x, y (0–1 on the diagram), zone, kind, severity 1–3, note?}]; photos:
-- [{key, type, size}].
alter table public.inspections
  add constraint inspections_damages_array check (jsonb_typeof(damages) = 'array'),
  add constraint inspections_photos_array check (jsonb_typeof(photos) = 'array');

-- A problem an operator raises on a task (until tickets on tasks take over); who and when are
-- stamped by a trigger, never by the writer.
alter table public.tasks
  add column flag_reason text check (length(flag_reason) between 1 and 500),
  add column flagged_by uuid references public.profiles (id) on delete set null,
  add column flagged_at timestamptz,
  add constraint tasks_flag_complete check ((flag_reason is null) = (flagged_at is null));

-- ─── indexes ─────────────────────────────────────────────────────────────────────────────────
create index movements_order_id_idx on public.movements (order_id) where order_id is not null;
-- The photo route finds the inspection naming a key.
create index inspections_photos_idx on public.inspections using gin (photos jsonb_path_ops);
create index tasks_flagged_idx on public.tasks (site_id, flagged_at) where flagged_at is not null;

-- ─── helpers ─────────────────────────────────────────────────────────────────────────────────
-- Serialises actions carrying the same key; answers the movement already recorded under it.
create function private.recorded_movement(request_key text, expected public.movement_kind) returns jsonb
language plpgsql set search_path = ''
as $$
declare
  prior record;
begin
  if request_key is null then
    return null;
  end if;
  perform pg_advisory_xact_lock(hashtextextended('relais.movement/' || request_key, 0));
  select m.id, m.kind, m.vehicle_id, m.bay_id, i.id as inspection_id, i.photos into prior
  from public.movements m left join public.inspections i on i.movement_id = m.id
  where m.idempotency_key = request_key;
  if prior.id is null then
    return null;
  end if;
  if prior.kind <> expected then
    raise exception 'this idempotency key was used for another action' using errcode = '23505', hint = 'key_reused';
  end if;
  return jsonb_build_object('movementId', prior.id, 'inspectionId', prior.inspection_id, 'vehicleId', prior.vehicle_id,
                            'bayId', prior.bay_id, 'photos', coalesce(prior.photos, '[]'), 'replayed', true);
end
$$;

-- A bay of `site` the caller sees and nobody else occupies; raises otherwise.
create function private.check_free_bay(site uuid, bay uuid, mover uuid) returns void
language plpgsql set search_path = ''
as $$
begin
  if not exists (select 1 from public.bays b where b.id = bay and b.site_id = site) then
    raise exception 'no such bay at this site' using errcode = 'P0002', hint = 'bay_not_found';
  end if;
  if exists (select 1 from public.vehicles v where v.bay_id = bay and v.id <> mover) then
    raise exception 'bay taken' using errcode = '23505', hint = 'bay_taken';
  end if;
end
$$;

-- Photos sent as [{name: '<uuid>.jpg', type, size}] get their storage key under the vehicle's
-- folder, in the order sent (the vehicle may be registered by the same call).
create function private.photo_keys(files jsonb, site uuid, vehicle uuid) returns jsonb
language sql immutable set search_path = ''
as $$
  select coalesce(jsonb_agg((f - 'name') || jsonb_build_object('key', 'yard/' || site::text || '/' || vehicle::text || '/' || (f ->> 'name'))
                            order by n), '[]')
  from jsonb_array_elements(coalesce(files, '[]')) with ordinality as e (f, n)
$$;

revoke all on function private.recorded_movement(text, public.movement_kind), private.check_free_bay(uuid, uuid, uuid),
  private.photo_keys(jsonb, uuid, uuid) from public;
grant execute on function private.recorded_movement(text, public.movement_kind), private.check_free_bay(uuid, uuid, uuid),
  private.photo_keys(jsonb, uuid, uuid) to authenticated, service_role;

-- ─── functions ───────────────────────────────────────────────────────────────────────────────
-- The free bay nearest the entrance in the zone of the vehicle's first planned service, else in
-- reception, else anywhere; null when the yard is full.
create function public.suggest_bay(at_site uuid, for_vehicle uuid default null) returns uuid
language sql stable security invoker set search_path = ''
as $$
  with wanted as (
    select coalesce((
      select sv.zone_kind from public.tasks t join public.services sv on sv.id = t.service_id
      where t.vehicle_id = for_vehicle and t.site_id = at_site and t.status in ('todo', 'planned', 'in_progress')
      order by t.planned_on nulls last, t.created_at, sv.code
      limit 1
    ), 'reception'::public.zone_kind) as kind
  )
  select b.id
  from public.bays b join public.yard_zones z on z.id = b.zone_id, wanted
  where b.site_id = at_site
    and not exists (select 1 from public.vehicles v where v.bay_id = b.id)
  order by z.kind = wanted.kind desc, z.kind = 'reception' desc, b.rank, b.number
  limit 1
$$;

-- Gate in: the movement, the inspection, the bay occupied, the vehicle on site, in one call.
create function public.gate_in(
  at_site uuid,
  find_vin text,
  find_plate text,
  new_vehicle jsonb,
  to_bay uuid,
  odometer_km integer,
  energy_percent integer,
  damage_points jsonb,
  photo_files jsonb,
  remarks text,
  request_key text
) returns jsonb
language plpgsql security invoker set search_path = ''
as $$
declare
  org uuid;
  v record;
  bay uuid := to_bay;
  movement uuid;
  inspection uuid;
  stored jsonb;
  previous jsonb := private.recorded_movement(request_key, 'gate_in');
begin
  if previous is not null then
    return previous;
  end if;
  select s.organisation_id into org from public.sites s where s.id = at_site;
  if org is null then
    raise exception 'no such site' using errcode = 'P0002', hint = 'site_not_found';
  end if;
  -- The policies would refuse the movement anyway; saying so first spares a misleading answer
  -- about a vehicle the caller cannot see.
  if not private.has_site_role(at_site, '{operator,team_lead,site_manager,admin}') then
    raise exception 'only the site''s yard staff record a gate-in' using errcode = '42501';
  end if;

  select ve.id, ve.site_id, ve.bay_id, ve.status, ve.client_account_id into v
  from public.vehicles ve
  where ve.organisation_id = org
    and (case when find_vin is not null then ve.vin = find_vin else ve.plate = find_plate end)
  order by ve.site_id = at_site desc
  limit 1;

  if v.id is null then
    if find_vin is null or new_vehicle ->> 'make' is null or new_vehicle ->> 'model' is null or new_vehicle ->> 'energy' is null then
      raise exception 'an unknown vehicle needs its VIN, make, model and energy' using errcode = '22023', hint = 'details_needed';
    end if;
    insert into public.vehicles (organisation_id, site_id, client_account_id, vin, plate, make, model, energy)
    values (org, at_site, (new_vehicle ->> 'clientAccountId')::uuid, find_vin, find_plate,
            new_vehicle ->> 'make', new_vehicle ->> 'model', (new_vehicle ->> 'energy')::public.energy)
    returning id, site_id, bay_id, status, client_account_id into v;
  elsif v.site_id <> at_site then
    raise exception 'this vehicle is registered at another site' using errcode = '55000', hint = 'vehicle_elsewhere';
  elsif v.bay_id is not null or v.status in ('on_site', 'in_service', 'ready') then
    raise exception 'this vehicle is already on site' using errcode = '55000', hint = 'already_on_site';
  end if;

  bay := coalesce(bay, public.suggest_bay(at_site, v.id));
  if bay is not null then
    perform private.check_free_bay(at_site, bay, v.id);
  end if;

  insert into public.movements (site_id, client_account_id, vehicle_id, kind, bay_id, recorded_by, idempotency_key)
  values (at_site, v.client_account_id, v.id, 'gate_in', bay, (select auth.uid()), request_key)
  returning id into movement;

  update public.vehicles
  set bay_id = bay,
      status = case when client_account_id is null then 'in_stock'::public.vehicle_status else 'on_site' end,
      arrived_at = now(),
      mileage_km = coalesce(odometer_km, mileage_km)
  where id = v.id;
  if not found then
    raise exception 'you may not record this vehicle' using errcode = '42501';
  end if;

  insert into public.inspections (site_id, client_account_id, vehicle_id, movement_id, mileage_km, energy_level_percent,
                                  damages, photos, comments, created_by)
  values (at_site, v.client_account_id, v.id, movement, odometer_km, energy_percent,
          coalesce(damage_points, '[]'), private.photo_keys(photo_files, at_site, v.id), remarks, (select auth.uid()))
  returning id, photos into inspection, stored;

  return jsonb_build_object('movementId', movement, 'inspectionId', inspection, 'vehicleId', v.id, 'bayId', bay,
                            'photos', stored, 'replayed', false);
end
$$;

-- Gate out: the order's delivery. The vehicle leaves its bay, delivered, with its inspection.
create function public.gate_out(
  for_vehicle uuid,
  for_order uuid,
  odometer_km integer,
  energy_percent integer,
  damage_points jsonb,
  photo_files jsonb,
  remarks text,
  request_key text
) returns jsonb
language plpgsql security invoker set search_path = ''
as $$
declare
  v record;
  movement uuid;
  inspection uuid;
  stored jsonb;
  previous jsonb := private.recorded_movement(request_key, 'gate_out');
begin
  if previous is not null then
    return previous;
  end if;
  select ve.id, ve.site_id, ve.bay_id, ve.status, ve.client_account_id into v from public.vehicles ve where ve.id = for_vehicle;
  if v.id is null then
    raise exception 'no such vehicle' using errcode = 'P0002', hint = 'vehicle_not_found';
  end if;
  if v.status in ('expected', 'in_transit', 'delivered') then
    raise exception 'this vehicle is not on site' using errcode = '55000', hint = 'not_on_site';
  end if;
  if for_order is not null and not exists (
    select 1 from public.tasks t where t.order_id = for_order and t.vehicle_id = v.id and t.site_id = v.site_id
  ) then
    raise exception 'this vehicle is not in that order' using errcode = 'P0002', hint = 'order_not_found';
  end if;

  insert into public.movements (site_id, client_account_id, vehicle_id, kind, bay_id, order_id, recorded_by, idempotency_key)
  values (v.site_id, v.client_account_id, v.id, 'gate_out', v.bay_id, for_order, (select auth.uid()), request_key)
  returning id into movement;

  update public.vehicles
  set bay_id = null, status = 'delivered', mileage_km = coalesce(odometer_km, mileage_km)
  where id = v.id;
  if not found then
    raise exception 'you may not record this vehicle' using errcode = '42501';
  end if;

  insert into public.inspections (site_id, client_account_id, vehicle_id, movement_id, mileage_km, energy_level_percent,
                                  damages, photos, comments, created_by)
  values (v.site_id, v.client_account_id, v.id, movement, odometer_km, energy_percent,
          coalesce(damage_points, '[]'), private.photo_keys(photo_files, v.site_id, v.id), remarks, (select auth.uid()))
  returning id, photos into inspection, stored;

  return jsonb_build_object('movementId', movement, 'inspectionId', inspection, 'vehicleId', v.id, 'bayId', v.bay_id,
                            'photos', stored, 'replayed', false);
end
$$;

-- A vehicle on site moves to another free bay of its site.
create function public.move_vehicle(for_vehicle uuid, to_bay uuid, request_key text default null) returns jsonb
language plpgsql security invoker set search_path = ''
as $$
declare
  v record;
  movement uuid;
  previous jsonb := private.recorded_movement(request_key, 'bay_move');
begin
  if previous is not null then
    return previous;
  end if;
  select ve.id, ve.site_id, ve.bay_id, ve.status, ve.client_account_id into v from public.vehicles ve where ve.id = for_vehicle;
  if v.id is null then
    raise exception 'no such vehicle' using errcode = 'P0002', hint = 'vehicle_not_found';
  end if;
  if v.status in ('expected', 'in_transit', 'delivered') then
    raise exception 'this vehicle is not on site' using errcode = '55000', hint = 'not_on_site';
  end if;
  perform private.check_free_bay(v.site_id, to_bay, v.id);

  insert into public.movements (site_id, client_account_id, vehicle_id, kind, bay_id, recorded_by, idempotency_key)
  values (v.site_id, v.client_account_id, v.id, 'bay_move', to_bay, (select auth.uid()), request_key)
  returning id into movement;
  update public.vehicles set bay_id = to_bay where id = v.id;
  if not found then
    raise exception 'you may not move this vehicle' using errcode = '42501';
  end if;
  return jsonb_build_object('movementId', movement, 'vehicleId', v.id, 'bayId', to_bay, 'replayed', false);
end
$$;

revoke all on function public.suggest_bay(uuid, uuid),
  public.gate_in(uuid, text, text, jsonb, uuid, integer, integer, jsonb, jsonb, text, text),
  public.gate_out(uuid, uuid, integer, integer, jsonb, jsonb, text, text),
  public.move_vehicle(uuid, uuid, text) from public, anon;
grant execute on function public.suggest_bay(uuid, uuid),
  public.gate_in(uuid, text, text, jsonb, uuid, integer, integer, jsonb, jsonb, text, text),
  public.gate_out(uuid, uuid, integer, integer, jsonb, jsonb, text, text),
  public.move_vehicle(uuid, uuid, text) to authenticated, service_role;

-- ─── triggers ────────────────────────────────────────────────────────────────────────────────
-- A vehicle stands in a bay of its own site (a bay id from another site is refused, whoever writes).
create function private.check_vehicle_bay() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  if new.bay_id is not null and not exists (select 1 from public.bays b where b.id = new.bay_id and b.site_id = new.site_id) then
    raise exception 'a vehicle stands in a bay of its own site' using errcode = '23514', hint = 'bay_not_found';
  end if;
  return new;
end
$$;
create trigger check_vehicle_bay before insert or update of bay_id, site_id on public.vehicles
  for each row execute function private.check_vehicle_bay();

-- Who flagged a task and when come from the session, not from the writer.
create function private.stamp_task_flag() returns trigger
language plpgsql set search_path = ''
as $$
begin
  if new.flag_reason is distinct from old.flag_reason then
    new.flagged_by := case when new.flag_reason is not null then (select auth.uid()) end;
    new.flagged_at := case when new.flag_reason is not null then now() end;
  else
    new.flagged_by := old.flagged_by;
    new.flagged_at := old.flagged_at;
  end if;
  return new;
end
$$;
create trigger stamp_task_flag before update on public.tasks
  for each row execute function private.stamp_task_flag();

create trigger audit after insert or update or delete on public.inspections
  for each row execute function private.record_audit();

revoke all on function private.check_vehicle_bay(), private.stamp_task_flag() from public;
