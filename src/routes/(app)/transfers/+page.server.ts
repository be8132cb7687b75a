import { fail } from '@sveltejs/kit';
import { holdsRoleAt, type AppRole } from '$lib/domain/roles';
import { getLocale } from '$lib/paraglide/runtime';
import { driverChoices, type DriverChoice } from '$lib/server/transfers/drivers';
import { TransferError } from '$lib/server/transfers/errors';
import { parseTrackerQuery, transferEvents } from '$lib/server/transfers/tracker';
import {
	advanceTransfer,
	approveTransfer,
	assignDriver,
	cancelTransfer,
	receiveTransfer,
	requestTransfer
} from '$lib/server/transfers/service';
import type { Sql } from '$lib/server/db/pool';
import type { OpenStatus, TransferAction } from '$lib/components/transfers/status';
import type { FieldErrors } from '$lib/validation';
import type { Actions, PageServerLoad } from './$types';


/** Who may request from a site (policy "sending staff request transfers"). */
const REQUESTERS: readonly AppRole[] = ['sales', 'csm', 'site_manager', 'director', 'admin'];
/** Who approves (at the rule's site), assigns (at either site) and may cancel. */
const MANAGERS: readonly AppRole[] = ['site_manager', 'director', 'admin'];
/** Who receives at the receiving site. */
const STAFF: readonly AppRole[] = ['operator', 'team_lead', 'csm', 'sales', 'site_manager', 'director', 'admin'];

export interface TransferRow {
	id: string;
	status: OpenStatus;
	reason: string;
	updatedOn: string;
	plate: string | null;
	vin: string;
	vehicle: string;
	fromSiteId: string;
	toSiteId: string | null;
	approverSiteId: string;
	from: string;
	to: string | null;
	deliveryAddress: string | null;
	driverId: string | null;
	driverName: string | null;
	requestedBy: string | null;
}

export interface VehicleOption {
	id: string;
	plate: string | null;
	vin: string;
	label: string;
	site: string;
}

/** The steps the person may take now on a transfer, as the database's rules say (it still decides). */
function actionsFor(t: TransferRow, roles: Parameters<typeof holdsRoleAt>[0], me: string): TransferAction[] {
	const managerOfEither = holdsRoleAt(roles, t.fromSiteId, MANAGERS) || (t.toSiteId !== null && holdsRoleAt(roles, t.toSiteId, MANAGERS));
	const out: TransferAction[] = [];
	if (t.status === 'requested' && holdsRoleAt(roles, t.approverSiteId, MANAGERS)) out.push('approve');
	if ((t.status === 'approved' || t.status === 'driver_assigned') && managerOfEither) out.push('assign');
	if (t.driverId === me) {
		const next: Partial<Record<OpenStatus, TransferAction>> = { driver_assigned: 'picked_up', picked_up: 'in_transit', in_transit: 'delivered' };
		const step = next[t.status];
		if (step) out.push(step);
	}
	if (t.status === 'delivered' && holdsRoleAt(roles, t.toSiteId ?? t.fromSiteId, STAFF)) out.push('receive');
	if (['requested', 'approved', 'driver_assigned'].includes(t.status) && (t.requestedBy === me || managerOfEither)) out.push('cancel');
	return out;
}

async function searchVehicles(sql: Sql, siteIds: string[], q: string): Promise<VehicleOption[]> {
	if (siteIds.length === 0) return [];
	const { rows } = await sql.query<VehicleOption>(
		`select v.id, v.plate, v.vin, v.make || ' ' || v.model as label, s.name as site
		 from public.vehicles v join public.sites s on s.id = v.site_id
		 where v.site_id = any($1::uuid[])
		   and v.status not in ('in_transit', 'delivered', 'sold')
		   and not exists (select 1 from public.transfers t where t.vehicle_id = v.id and t.status not in ('received', 'cancelled'))
		   and ($2 = '' or v.plate ilike '%' || $2 || '%' or v.vin ilike '%' || $2 || '%')
		 order by v.plate nulls last, v.vin
		 limit 30`,
		[siteIds, q]
	);
	return rows;
}

export const load: PageServerLoad = async ({ locals, depends, url }) => {
	depends('live:transfers', 'live:transfer_events', 'live:vehicles');
	const user = locals.user!;
	const query = parseTrackerQuery(url.searchParams);
	const siteFilter = query.site ?? '';
	const statusFilter = query.status ?? '';
	const vq = (url.searchParams.get('vq') ?? '').trim().slice(0, 40);
	const requestSites = user.sites.filter((s) => holdsRoleAt(user.roles, s.id, REQUESTERS));
	const manages = user.roles.some((r) => MANAGERS.includes(r.role));

	return locals.db(async (sql) => {
		const { rows: transfers } = await sql.query<TransferRow>(
			`select t.id, t.status, t.reason, to_char(t.updated_at at time zone 'Europe/Paris', 'YYYY-MM-DD') as "updatedOn", v.plate, v.vin,
			        v.make || ' ' || v.model as vehicle, t.from_site_id as "fromSiteId", t.to_site_id as "toSiteId",
			        private.transfer_approver_site(t.organisation_id, t.from_site_id, t.to_site_id) as "approverSiteId",
			        fs.name as "from", ts.name as "to", t.delivery_address as "deliveryAddress",
			        t.driver_id as "driverId", dp.full_name as "driverName", t.requested_by as "requestedBy"
			 from public.transfers t
			 cross join lateral private.transferred_vehicle(t.id) v
			 join public.sites fs on fs.id = t.from_site_id
			 left join public.sites ts on ts.id = t.to_site_id
			 left join public.profiles dp on dp.id = t.driver_id
			 where t.status not in ('received', 'cancelled')
			   and ($1 = '' or t.from_site_id::text = $1 or t.to_site_id::text = $1)
			   and ($2 = '' or t.status::text = $2)
			 order by t.updated_at desc
			 limit 200`,
			[siteFilter, statusFilter]
		);
		const events = await transferEvents(
			sql,
			transfers.map((t) => t.id)
		);
		const drivers: DriverChoice[] = manages ? await driverChoices(sql) : [];
		const { rows: destinations } = await sql.query<{ id: string; name: string }>(`select id, name from public.sites order by name`);
		return {
			filters: { site: siteFilter, status: statusFilter, vq },
			sites: user.sites.map((s) => ({ id: s.id, name: s.name })),
			destinations,
			canRequest: requestSites.length > 0,
			vehicles: await searchVehicles(
				sql,
				requestSites.map((s) => s.id),
				vq
			),
			drivers,
			transfers: transfers.map((t) => ({
				...t,
				actions: actionsFor(t, user.roles, user.id),
				events: events.filter((e) => e.transferId === t.id)
			}))
		};
	});
};

const field = (form: FormData, name: string): string | undefined => {
	const v = form.get(name);
	return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
};

/** A refused step answers its form: which transfer, which action, the errors per field. */
function refused(err: unknown, action: string, transferId: string | null) {
	if (!(err instanceof TransferError)) throw err;
	const errors: FieldErrors = { ...err.errors };
	// The step's reason is the form's note field.
	if (errors.reason && action !== 'request') {
		errors.note = errors.reason;
		delete errors.reason;
	}
	if (errors.transferId) {
		errors[''] = [...(errors[''] ?? []), ...errors.transferId];
		delete errors.transferId;
	}
	return fail(err.status, { action, transferId, errors });
}

async function step(locals: App.Locals, request: Request, action: TransferAction) {
	const form = await request.formData();
	const transferId = field(form, 'transferId') ?? '';
	const note = field(form, 'note');
	const locale = getLocale();
	try {
		await locals.db(async (sql) => {
			switch (action) {
				case 'approve':
					return approveTransfer(sql, { transferId, note }, locale);
				case 'assign':
					return assignDriver(sql, { transferId, driverId: field(form, 'driverId'), note }, locale);
				case 'picked_up':
				case 'in_transit':
				case 'delivered':
					return advanceTransfer(sql, { transferId, step: action, note }, locale);
				case 'receive':
					return receiveTransfer(sql, { transferId, note }, locale);
				case 'cancel':
					return cancelTransfer(sql, { transferId, reason: note }, locale);
			}
		});
		return { action, transferId, done: true };
	} catch (err) {
		return refused(err, action, transferId);
	}
}

export const actions: Actions = {
	request: async ({ locals, request }) => {
		const form = await request.formData();
		const values = {
			vehicleId: field(form, 'vehicleId'),
			toSiteId: field(form, 'toSiteId'),
			deliveryAddress: field(form, 'deliveryAddress'),
			reason: field(form, 'reason')
		};
		try {
			const { id } = await locals.db((sql) => requestTransfer(sql, values, getLocale()));
			return { action: 'request', transferId: id, done: true };
		} catch (err) {
			if (!(err instanceof TransferError)) throw err;
			return fail(err.status, { action: 'request', transferId: null, errors: err.errors, values });
		}
	},
	approve: ({ locals, request }) => step(locals, request, 'approve'),
	assign: ({ locals, request }) => step(locals, request, 'assign'),
	picked_up: ({ locals, request }) => step(locals, request, 'picked_up'),
	in_transit: ({ locals, request }) => step(locals, request, 'in_transit'),
	delivered: ({ locals, request }) => step(locals, request, 'delivered'),
	receive: ({ locals, request }) => step(locals, request, 'receive'),
	cancel: ({ locals, request }) => step(locals, request, 'cancel')
};
