import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import { holdsRoleAt, sectionsByRole, type AppRole } from '$lib/domain/roles';
import { normaliseBayNumber } from '$lib/domain/yard/map';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { validate, type FieldErrors } from '$lib/validation';
import { appPool } from '$lib/server/db';
import { YardError } from '$lib/server/yard/errors';
import { moveVehicle } from '$lib/server/yard/move';
import { vehicleCard, yardMap } from '$lib/server/yard/map';
import type { Actions, PageServerLoad } from './$types';

/** Who moves vehicles between bays (policy on movements); who redraws the layout (policy "managers edit bays"). */
const MOVERS: readonly AppRole[] = ['operator', 'team_lead', 'site_manager', 'admin'];
const EDITORS: readonly AppRole[] = ['site_manager', 'admin'];

export const load: PageServerLoad = async ({ locals, parent, depends, url }) => {
	// A gate-in, a move or a redrawn bay anywhere on the site redraws every open map.
	depends('live:vehicles', 'live:movements', 'live:bays', 'live:yard_zones', 'live:tasks', 'live:inspections');
	const user = locals.user!;
	if (!sectionsByRole[user.primaryRole].includes('yard')) throw error(403, m.yard_forbidden());
	const { currentSite } = await parent();
	if (!currentSite) return { map: null, card: null, canMove: false, canEdit: false };
	const selected = z.guid().safeParse(url.searchParams.get('vehicle'));
	const { map, card } = await locals.db(async (sql) => ({
		map: await yardMap(sql, currentSite.id),
		card: selected.success ? await vehicleCard(sql, selected.data, getLocale()) : null
	}));
	return {
		map,
		card,
		canMove: holdsRoleAt(user.roles, currentSite.id, MOVERS),
		canEdit: holdsRoleAt(user.roles, currentSite.id, EDITORS)
	};
};

const moveForm = z.object({
	vehicleId: z.guid(),
	bay: z.string().trim().min(1).max(12),
	idempotencyKey: z.string().trim().min(8).max(80).optional()
});

/** A GeoJSON Polygon of one closed ring of 4 to 12 corners, in degrees. */
const polygon = z
	.object({
		type: z.literal('Polygon'),
		coordinates: z.array(z.array(z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)])).min(5).max(13)).length(1)
	})
	.refine(({ coordinates: [ring] }) => ring[0][0] === ring.at(-1)![0] && ring[0][1] === ring.at(-1)![1], { message: 'ring not closed' });

const bayForm = z.object({
	bayId: z.guid(),
	number: z.string().trim().min(1).max(12).regex(/^[A-Za-z0-9-]+$/),
	geometry: z.string().transform((text, ctx) => {
		try {
			return JSON.parse(text) as unknown;
		} catch {
			ctx.addIssue({ code: 'custom', message: 'JSON' });
			return z.NEVER;
		}
	}).pipe(polygon)
});

export const actions: Actions = {
	move: async ({ request, locals }) => {
		const parsed = validate(moveForm, Object.fromEntries(await request.formData()), getLocale());
		if (!parsed.ok) return fail(400, { errors: parsed.errors });
		const { vehicleId, idempotencyKey } = parsed.data;
		const number = normaliseBayNumber(parsed.data.bay);
		const bayId = await locals.db(async (sql) => {
			const { rows } = await sql.query<{ id: string }>(
				`select b.id from public.bays b join public.vehicles v on v.site_id = b.site_id
				 where v.id = $1 and upper(b.number) = $2`,
				[vehicleId, number]
			);
			return rows[0]?.id ?? null;
		});
		if (!bayId) return fail(404, { vehicleId, errors: { bay: [m.yard_bay_unknown({ bay: number })] } });
		try {
			await moveVehicle(await appPool(), locals.claims!, { vehicleId, bayId, idempotencyKey }, getLocale());
		} catch (err) {
			if (!(err instanceof YardError)) throw err;
			// The bay is named as the person typed or dropped it; other refusals come worded by the gate service.
			const errors: FieldErrors = err.code === 'bay_taken' ? { bay: [m.yard_bay_taken({ bay: number })] } : { '': Object.values(err.errors).flat() };
			return fail(err.status, { vehicleId, errors });
		}
		return { moved: { vehicleId, bay: number } };
	},

	bay: async ({ request, locals }) => {
		const parsed = validate(bayForm, Object.fromEntries(await request.formData()), getLocale());
		if (!parsed.ok) return fail(400, { errors: parsed.errors });
		const { bayId, geometry } = parsed.data;
		const number = normaliseBayNumber(parsed.data.number);
		try {
			const updated = await locals.db(async (sql) => {
				const { rowCount } = await sql.query(`update public.bays set number = $2, geometry = $3 where id = $1`, [bayId, number, geometry]);
				return rowCount;
			});
			// RLS hides the bay from whoever may not redraw it: nothing updated.
			if (!updated) return fail(403, { bayId, errors: { '': [m.yard_edit_forbidden()] } });
		} catch (err) {
			if ((err as { code?: string }).code === '23505') return fail(409, { bayId, errors: { number: [m.yard_bay_number_used({ bay: number })] } });
			throw err;
		}
		return { saved: { bayId, number } };
	}
};
