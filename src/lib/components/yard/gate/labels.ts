import { m } from '$lib/paraglide/messages';
import type { DamageKind, DamageZone } from '$lib/domain/yard/damage';

/** Damage parts and kinds in the reader's language. */

const zones: Record<DamageZone, () => string> = {
	front_bumper: m.gate_zone_front_bumper,
	bonnet: m.gate_zone_bonnet,
	windscreen: m.gate_zone_windscreen,
	front_left: m.gate_zone_front_left,
	front_right: m.gate_zone_front_right,
	front_left_wheel: m.gate_zone_front_left_wheel,
	front_right_wheel: m.gate_zone_front_right_wheel,
	left_doors: m.gate_zone_left_doors,
	right_doors: m.gate_zone_right_doors,
	roof: m.gate_zone_roof,
	rear_left: m.gate_zone_rear_left,
	rear_right: m.gate_zone_rear_right,
	rear_left_wheel: m.gate_zone_rear_left_wheel,
	rear_right_wheel: m.gate_zone_rear_right_wheel,
	rear_window: m.gate_zone_rear_window,
	boot: m.gate_zone_boot,
	rear_bumper: m.gate_zone_rear_bumper
};

const kinds: Record<DamageKind, () => string> = {
	scratch: m.gate_kind_scratch,
	dent: m.gate_kind_dent,
	chip: m.gate_kind_chip,
	scuff: m.gate_kind_scuff,
	crack: m.gate_kind_crack,
	missing: m.gate_kind_missing
};

export const damageZoneLabel = (zone: DamageZone) => zones[zone]();
export const damageKindLabel = (kind: DamageKind) => kinds[kind]();
