import { randomUUID } from 'node:crypto';
import { fail, redirect } from '@sveltejs/kit';
import { holdsRoleAt, type AppRole } from '$lib/domain/roles';
import { PHOTO_TYPES, type UploadedPhoto } from '$lib/domain/yard/gate';
import { getLocale } from '$lib/paraglide/runtime';
import { appPool } from '$lib/server/db';
import { YardError } from '$lib/server/yard/errors';
import { recordGateIn, recordGateOut } from '$lib/server/yard/gate';
import { clientChoices, findGateVehicle, freeBays, readRef, recordedMovement, suggestedBay, type FreeBay } from '$lib/server/yard/lookup';
import type { Actions, PageServerLoad } from './$types';

/** Who records gate movements (policy "yard staff record movements"); the database still decides. */
const YARD_STAFF: readonly AppRole[] = ['operator', 'team_lead', 'site_manager', 'admin'];

export const load: PageServerLoad = async ({ locals, parent, url, depends }) => {
	depends('live:vehicles', 'live:movements');
	const { currentSite } = await parent();
	const mode = url.searchParams.get('mode') === 'out' ? 'out' : 'in';
	const q = (url.searchParams.get('q') ?? '').trim().slice(0, 40);
	const doneId = url.searchParams.get('done');
	if (!currentSite) return { site: null, mode, q, canAct: false, vehicle: null, bays: [] as FreeBay[], suggestion: null, clients: [], ref: readRef(q), done: null };

	const canAct = holdsRoleAt(locals.user!.roles, currentSite.id, YARD_STAFF);
	return locals.db(async (sql) => {
		const vehicle = q ? await findGateVehicle(sql, currentSite.id, q) : null;
		const arriving = mode === 'in' && q !== '';
		return {
			site: currentSite,
			mode,
			q,
			canAct,
			vehicle,
			ref: readRef(q),
			bays: arriving ? await freeBays(sql, currentSite.id) : [],
			suggestion: arriving ? await suggestedBay(sql, currentSite.id, vehicle?.id ?? null) : null,
			clients: arriving && !vehicle ? await clientChoices(sql) : [],
			done: doneId ? await recordedMovement(sql, doneId) : null
		};
	});
};

const text = (form: FormData, name: string): string | undefined => {
	const v = form.get(name);
	return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
};
const number = (form: FormData, name: string): number | undefined => {
	const v = text(form, name);
	return v === undefined ? undefined : Number(v);
};
function json(form: FormData, name: string): unknown {
	try {
		return JSON.parse(text(form, name) ?? '[]');
	} catch {
		return null;
	}
}
/** The photos the phone resized and appended (the schema bounds their number, type and size). */
async function photos(form: FormData): Promise<UploadedPhoto[]> {
	const files = form.getAll('photos').filter((f): f is File => f instanceof File && f.size > 0);
	return Promise.all(
		files.map(async (f) => ({ type: (PHOTO_TYPES.find((t) => t === f.type) ?? f.type) as UploadedPhoto['type'], size: f.size, bytes: new Uint8Array(await f.arrayBuffer()) }))
	);
}

/** Fields of both forms: the inspection and the key the phone chose (or one, without JavaScript). */
async function inspection(form: FormData) {
	return {
		mileageKm: number(form, 'mileageKm'),
		energyPercent: number(form, 'energyPercent'),
		damages: json(form, 'damages'),
		comments: text(form, 'comments'),
		photos: await photos(form),
		idempotencyKey: text(form, 'idempotencyKey') ?? randomUUID()
	};
}

function refused(err: unknown, values: Record<string, unknown>) {
	if (!(err instanceof YardError)) throw err;
	return fail(err.status, { errors: err.errors, values });
}

export const actions: Actions = {
	in: async ({ locals, request }) => {
		const form = await request.formData();
		const values = Object.fromEntries(['vin', 'plate', 'make', 'model', 'energy', 'clientAccountId', 'bayId', 'mileageKm', 'energyPercent', 'comments'].map((k) => [k, text(form, k)]));
		let movementId: string;
		try {
			({ movementId } = await recordGateIn(
				await appPool(),
				locals.claims!,
				{
					siteId: text(form, 'siteId'),
					vin: text(form, 'vin'),
					plate: text(form, 'plate'),
					make: text(form, 'make'),
					model: text(form, 'model'),
					energy: text(form, 'energy'),
					clientAccountId: text(form, 'clientAccountId'),
					bayId: text(form, 'bayId') ?? null,
					...(await inspection(form))
				},
				getLocale()
			));
		} catch (err) {
			return refused(err, values);
		}
		redirect(303, `/yard/gate?mode=in&done=${movementId}`);
	},
	out: async ({ locals, request }) => {
		const form = await request.formData();
		const values = Object.fromEntries(['orderId', 'mileageKm', 'energyPercent', 'comments'].map((k) => [k, text(form, k)]));
		let movementId: string;
		try {
			({ movementId } = await recordGateOut(
				await appPool(),
				locals.claims!,
				{ vehicleId: text(form, 'vehicleId'), orderId: text(form, 'orderId'), ...(await inspection(form)) },
				getLocale()
			));
		} catch (err) {
			return refused(err, values);
		}
		redirect(303, `/yard/gate?mode=out&done=${movementId}`);
	}
};
