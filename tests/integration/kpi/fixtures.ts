import { testVin, type World } from '../world';

export interface FixtureInvoice {
	number: string;
	kind?: 'invoice' | 'credit_note';
	status: string;
	issuedOn: string | null;
	/** Defaults to 30 days after issue. */
	dueOn?: string | null;
	net: number;
	/** The number of the invoice a credit note credits, earlier in the same list. */
	credits?: string;
}

/** Rows the KPI figures count, written straight as the superuser into `world()` (read when called). */
export function kpiRows(world: () => World) {
	const q = (text: string, values: unknown[] = []) => world().pool.query(text, values);
	let batch = 0;

	async function vehicle(site: string, arrivedAt: string | null, readyAt: string | null): Promise<string> {
		const { rows } = await q(
			`insert into public.vehicles (organisation_id, site_id, client_account_id, vin, make, model, energy, status, arrived_at, ready_at)
			 values ($1, $2, $3, $4, 'Renault', 'Clio', 'petrol', 'ready', $5, $6) returning id`,
			[world().orgId, site, world().clients.acme, testVin(), arrivedAt, readyAt]
		);
		return rows[0].id;
	}

	/** Tasks of one new order and vehicle at `site`, each [planned day, minutes, status]. */
	async function tasksAt(site: string, team: string | null, list: Array<[plannedOn: string, minutes: number, status: string]>): Promise<void> {
		batch += 1;
		const vehicleId = await vehicle(site, null, null);
		const service = await q(
			`insert into public.services (site_id, code, name_fr, name_en, zone_kind, default_minutes, vat_rate_bp)
			 values ($1, $2, 'Lavage', 'Wash', 'wash', 30, 2000) returning id`,
			[site, `WASH${batch}`]
		);
		const order = await q(`insert into public.orders (site_id, client_account_id, reference, deadline) values ($1, $2, $3, '2026-11-30') returning id`, [
			site,
			world().clients.acme,
			`CMD-KPI-${batch}`
		]);
		for (const [plannedOn, minutes, status] of list) {
			await q(
				`insert into public.tasks (site_id, client_account_id, order_id, vehicle_id, service_id, team_id, planned_on, estimated_minutes, price_cents, status)
				 values ($1, $2, $3, $4, $5, $6, $7, $8, 1000, $9)`,
				[site, world().clients.acme, order.rows[0].id, vehicleId, service.rows[0].id, team, plannedOn, minutes, status]
			);
		}
	}

	/**
	 * Invoices straight into their final state: the guard triggers (numbering, today's date) are
	 * off for this one transaction, and so are the KPI triggers, so the site's aggregates are rebuilt.
	 */
	async function invoices(site: string, list: FixtureInvoice[]): Promise<Record<string, string>> {
		const client = await world().pool.connect();
		const ids: Record<string, string> = {};
		try {
			await client.query('begin');
			await client.query('set local session_replication_role = replica');
			for (const i of list) {
				const { rows } = await client.query(
					`insert into public.invoices (organisation_id, site_id, client_account_id, kind, credits_invoice_id, status, number, issued_on, due_on, net_cents, vat_cents, gross_cents)
					 values ($1, $2, $3, $4, $5, $6, $7, $8, coalesce($9, $8::date + 30), $10::bigint, $10::bigint / 5, $10::bigint * 6 / 5) returning id`,
					[
						world().orgId,
						site,
						world().clients.acme,
						i.kind ?? 'invoice',
						i.credits ? ids[i.credits] : null,
						i.status,
						i.status === 'draft' ? null : i.number,
						i.issuedOn,
						i.dueOn ?? null,
						i.net
					]
				);
				ids[i.number] = rows[0].id;
			}
			await client.query('select private.kpi_rebuild($1)', [[site]]);
			await client.query('commit');
		} finally {
			client.release();
		}
		return ids;
	}

	return { vehicle, tasksAt, invoices };
}
