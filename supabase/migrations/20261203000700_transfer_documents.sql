-- Transfer paperwork and tracking: the vehicle a transfer moves, as its tracker and delivery note
-- name it, for everyone who may read the transfer.
--
-- Decisions:
-- - Vehicles are read by the staff of the site where they stand (policies of 20261123000200), so
--   the receiving site could not see the vehicle coming to it, nor the sending site the vehicle it
--   sent once received: their trackers dropped the transfer and the delivery note had no vehicle.
-- - A policy on vehicles would hand over the whole row (prices, current site, stock lists) for as
--   long as the transfer exists; this helper gives the paperwork's facts only (plate, VIN, make,
--   model, mileage), for a transfer whose sites the caller staffs or that they drive.
-- - No table: delivery notes are rendered on demand (src/lib/server/transfers/delivery-pdf.ts).
-- Sections: helpers → grants.

-- ─── helpers ─────────────────────────────────────────────────────────────────────────────────
create function private.transferred_vehicle(transfer uuid)
returns table (plate text, vin text, make text, model text, mileage_km integer)
language sql stable security definer set search_path = ''
as $$
  select v.plate, v.vin, v.make, v.model, v.mileage_km
  from public.transfers t
  join public.vehicles v on v.id = t.vehicle_id
  where t.id = transfer
    and (t.from_site_id in (select private.staff_site_ids())
         or t.to_site_id in (select private.staff_site_ids())
         or t.driver_id = (select auth.uid()))
$$;

-- ─── grants ──────────────────────────────────────────────────────────────────────────────────
revoke all on function private.transferred_vehicle(uuid) from public;
grant execute on function private.transferred_vehicle(uuid) to authenticated, service_role;
