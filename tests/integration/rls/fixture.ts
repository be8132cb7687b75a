import { randomUUID } from 'node:crypto';
import { testVin, type Persona, type World } from '../world';
import { places, type AccountKey, type OrgKey, type Place, type SiteKey } from './expectations';

/**
 * Rows the RLS suites act on, built on top of a world with the owner connection: at every
 * place (expectations.ts) one row of every table, plus twins without dependents to delete.
 * The KPI daily aggregates are not inserted: the triggers derive them from the place's ready
 * vehicle, planned task and issued invoice, one row per site and table (hub and beta share a
 * site, their figures share its rows).
 */

/** The ids of one place's rows; site-level rows of `beta` are those of `hub` (same site). */
export interface PlaceRows {
	place: Place;
	org: string;
	site: string;
	/** Owner of the place's vehicles, movements, inspections and transfers (null: dealer stock). */
	owner: string | null;
	/** Client account of the place's orders, tasks and threads. */
	account: string;
	/** A staff member of the site (operator) and their membership. */
	colleague: string;
	colleagueMembership: string;
	/** A person of the organisation with no role yet, and an auth user with no profile yet. */
	prospect: string;
	newcomer: string;
	/** The member of `account` (a client user). */
	clientMember: string;
	team: string;
	zone: string;
	bay: string;
	service: string;
	price: string;
	vehicle: string;
	order: string;
	task: string;
	movement: string;
	inspection: string;
	transfer: string;
	transferDriver: string | null;
	transferEvent: string;
	thread: string;
	message: string;
	/** The colleague's read receipt of the thread, and a file on their public message. */
	threadRead: string;
	attachment: string;
	internalMessage: string;
	audit: number;
	change: number;
	/** A failed email to the colleague, and the notification it carried. */
	delivery: string;
	deliveryNotification: string;
	/** An issued invoice of the place's account, a draft with two manual lines, a filed PDF. */
	invoice: string;
	invoiceDraft: string;
	invoiceLine: string;
	spareInvoiceLine: string;
	document: string;
	/** The site's invoice template (French); its counter row is keyed by the site. */
	template: string;
	/** The organisation's driver record (at `org`: the driver persona's, compliant) and its licence. */
	driverRecord: string;
	driverDocument: string;
	/** A KPI wall device of the site (not revoked, no money); the site's KPI day rows are keyed by the site. */
	device: string;
	/** A stock import job at the site, started by the hub's site manager persona. */
	stockImport: string;
	/** CRM rows of the site (`beta` shares the hub's): see CrmRows. */
	crm: CrmRows;
	/** Twins without dependents, for deletes that foreign keys would otherwise refuse. */
	spare: { site: string; account: string; vehicle: string; service: string };
}

/**
 * A site's CRM rows: a customer of the organisation first met there, a visit there, a lead
 * assigned to the site, the site's own assignment rule and web form, and a quote it sells
 * (for the place's vehicle, which the quote keeps from being deleted).
 */
export interface CrmRows {
	customer: string;
	interaction: string;
	lead: string;
	leadRule: string;
	leadForm: string;
	quote: string;
}

/** When the place's vehicle arrived and became ready, and the day its task is planned (KPI days). */
const KPI_ARRIVED_AT = '2026-02-02T08:00:00+01:00';
const KPI_READY_AT = '2026-02-03T10:00:00+01:00';
const KPI_PLANNED_ON = '2026-02-03';

/** A GeoJSON polygon for yard zones and bays. */
export const square = JSON.stringify({ type: 'Polygon', coordinates: [[[0, 0], [0, 1], [1, 1], [1, 0], [0, 0]]] });

export interface RlsFixture {
	world: World;
	at: Record<Place, PlaceRows>;
	notifications: Record<Persona, string>;
	/** Each persona's saved choice for `order_created`, and a browser subscribed to web push. */
	preferences: Record<Persona, string>;
	pushSubscriptions: Record<Persona, string>;
	/** Each persona's receipt of an action replayed from their phone (keyed by idempotency key). */
	receipts: Record<Persona, string>;
	orgIds: Record<OrgKey, string>;
	siteIds: Record<SiteKey, string>;
	accountIds: Record<AccountKey, string>;
	/** Group stock: a second dealership's own vehicle, and the other organisation's. */
	groupStock: { dealer2Site: string; dealer2Vehicle: string; otherOrgVehicle: string };
}

export async function createRlsFixture(world: World): Promise<RlsFixture> {
	const { pool, people } = world;
	const one = async <T = string>(text: string, values: unknown[]): Promise<T> => {
		const { rows } = await pool.query(text, values);
		return rows[0].id as T;
	};
	const tag = () => randomUUID().slice(0, 6).toUpperCase();

	const orgIds: Record<OrgKey, string> = { org: world.orgId, otherOrg: world.otherOrgId };
	const siteIds: Record<SiteKey, string> = world.sites;
	const accountIds: Record<AccountKey, string> = world.clients;

	// The group lets its sales people see every site's dealer stock (the setting under test).
	await pool.query(`update public.organisations set settings = settings || '{"sales_see_group_stock": true}' where id = $1`, [
		world.orgId
	]);

	const authUser = (label: string) =>
		one(`insert into auth.users (id, aud, role, email) values (gen_random_uuid(), 'authenticated', 'authenticated', $1) returning id`, [
			`${label}.${randomUUID()}@test.relais`
		]);
	const person = async (org: string, label: string) => {
		const id = await authUser(label);
		await pool.query(`insert into public.profiles (id, organisation_id, full_name, email) values ($1, $2, $3, $3 || '@test.relais')`, [
			id,
			org,
			`${label} ${id.slice(0, 8)}`
		]);
		return id;
	};
	const site = (org: string, kind: 'hub' | 'dealership') =>
		one(
			`insert into public.sites (organisation_id, code, name, kind, legal_name, siret, vat_number, address_line, postcode, city, latitude, longitude)
			 values ($1, $2, $2, $3, $2 || ' SAS', '12345678900011', 'FR12123456789', '2 rue du Test', '69000', 'Lyon', 45.7, 4.8) returning id`,
			[org, `S-${tag()}`, kind]
		);
	// A ready vehicle counts in the KPI vehicle days of its site (through the triggers).
	const vehicle = (org: string, siteId: string, owner: string | null, ready = false) =>
		one(
			`insert into public.vehicles (organisation_id, site_id, client_account_id, vin, make, model, energy, status, arrived_at, ready_at)
			 values ($1, $2, $3, $4, 'Renault', 'Clio', 'petrol', 'on_site', $5, $6) returning id`,
			[org, siteId, owner, testVin(), ready ? KPI_ARRIVED_AT : null, ready ? KPI_READY_AT : null]
		);

	// A client user of the other organisation, so that its account has a member too.
	const otherOrgClient = await person(world.otherOrgId, 'other-client');
	await pool.query('insert into public.client_members (client_account_id, user_id) values ($1, $2)', [world.clients.otherOrg, otherOrgClient]);
	const clientMemberOf: Record<AccountKey, string> = {
		acme: people.client.id,
		beta: people.client_other_account.id,
		otherOrg: otherOrgClient
	};

	type SiteRows = Pick<
		PlaceRows,
		'colleague' | 'colleagueMembership' | 'prospect' | 'newcomer' | 'team' | 'zone' | 'bay' | 'service' | 'price' | 'audit' | 'template' | 'device' | 'stockImport'
	> & { spareSite: string; spareAccount: string; spareService: string };

	const siteRows = async (org: string, siteId: string): Promise<SiteRows> => {
		const colleague = await person(org, 'colleague');
		const colleagueMembership = await one(
			`insert into public.memberships (organisation_id, user_id, site_id, role) values ($1, $2, $3, 'operator') returning id`,
			[org, colleague, siteId]
		);
		const team = await one(`insert into public.teams (site_id, name) values ($1, 'Wash') returning id`, [siteId]);
		const zone = await one(
			`insert into public.yard_zones (site_id, code, name, kind, geometry) values ($1, 'P1', 'Parking 1', 'parking', $2) returning id`,
			[siteId, square]
		);
		const service = await one(
			`insert into public.services (site_id, code, name_fr, name_en, zone_kind, default_minutes) values ($1, 'WASH', 'Lavage', 'Wash', 'wash', 30) returning id`,
			[siteId]
		);
		return {
			colleague,
			colleagueMembership,
			prospect: await person(org, 'prospect'),
			newcomer: await authUser('newcomer'),
			team,
			zone,
			bay: await one(`insert into public.bays (site_id, zone_id, number, geometry) values ($1, $2, '1', $3) returning id`, [siteId, zone, square]),
			service,
			price: await one(
				`insert into public.prices (site_id, service_id, unit_price_cents, valid_from) values ($1, $2, 2500, '2026-01-01') returning id`,
				[siteId, service]
			),
			audit: await one<number>(
				`insert into public.audit_log (site_id, table_name, row_id, op, reason) values ($1, 'prices', $2, 'update', 'fixture') returning id`,
				[siteId, service]
			),
			template: await one(`insert into public.document_templates (site_id, kind, locale, texts) values ($1, 'invoice', 'fr', '{"footer": "Fixture"}') returning id`, [
				siteId
			]),
			device: await one(
				`insert into public.kpi_devices (organisation_id, site_id, name, token_hash, panels)
				 values ($1, $2, 'Wall', encode(sha256(gen_random_uuid()::text::bytea), 'hex'), '{vehicles_processed,tasks_done}') returning id`,
				[org, siteId]
			),
			stockImport: await one(
				`insert into public.stock_imports (organisation_id, site_id, created_by, file_name, total_rows) values ($1, $2, $3, 'stock.csv', 10) returning id`,
				[org, siteId, people.site_manager.id]
			),
			spareSite: await site(org, 'hub'),
			spareAccount: await one(`insert into public.client_accounts (organisation_id, name) values ($1, $2) returning id`, [org, `Spare ${tag()}`]),
			spareService: await one(
				`insert into public.services (site_id, code, name_fr, name_en, zone_kind, default_minutes) values ($1, 'SPARE', 'Réserve', 'Spare', 'wash', 10) returning id`,
				[siteId]
			)
		};
	};

	const bySite = {} as Record<SiteKey, SiteRows>;
	for (const key of ['hub', 'hub2', 'dealer', 'otherOrg'] as const) {
		bySite[key] = await siteRows(key === 'otherOrg' ? world.otherOrgId : world.orgId, siteIds[key]);
	}

	for (const siteId of Object.values(siteIds)) {
		await pool.query(`insert into public.invoice_counters (site_id, year, kind, last_number) values ($1, 2026, 'invoice', 7)`, [siteId]);
	}
	const invoice = (org: string, siteId: string, account: string, month: string) =>
		one(
			`insert into public.invoices (organisation_id, site_id, client_account_id, period_start, period_end)
			 values ($1, $2, $3, $4::date, ($4::date + interval '1 month - 1 day')::date) returning id`,
			[org, siteId, account, month]
		);
	const manualLine = (invoiceId: string) =>
		one(
			`insert into public.invoice_lines (invoice_id, site_id, client_account_id, description, unit_price_cents, vat_rate_bp, added_reason)
			 select id, site_id, client_account_id, 'Frais de dossier', 1500, 2000, 'fixture' from public.invoices where id = $1 returning id`,
			[invoiceId]
		);

	// A driver record per organisation: the driver persona's (with every mandatory document, so
	// that they may be assigned) and a partner's at the other organisation.
	const driverRows = {} as Record<OrgKey, { driverRecord: string; driverDocument: string }>;
	for (const [key, org] of Object.entries(orgIds) as [OrgKey, string][]) {
		const profile = key === 'org' ? people.driver.id : null;
		const driverRecord = await one(
			`insert into public.drivers (organisation_id, profile_id, kind, full_name, partner_company) values ($1, $2, $3, 'Driver', $4) returning id`,
			[org, profile, profile ? 'internal' : 'partner', profile ? null : 'Convoi']
		);
		const document = (kind: string) =>
			one(`insert into public.driver_documents (organisation_id, driver_id, kind, expires_on) values ($1, $2, $3, '2040-01-01') returning id`, [
				org,
				driverRecord,
				kind
			]);
		driverRows[key] = { driverRecord, driverDocument: await document('licence') };
		await document('id_card');
		await document('insurance');
	}

	const crmRows = async (org: string, siteId: string, vehicleId: string): Promise<CrmRows> => {
		const customer = await one(
			`insert into public.customers (organisation_id, first_name, last_name, email, first_site_id) values ($1, 'Camille', 'Durand', $2, $3) returning id`,
			[org, `camille.${tag().toLowerCase()}@test.relais`, siteId]
		);
		const lead = await one(
			`insert into public.leads (organisation_id, site_id, customer_id, source, value_cents) values ($1, $2, $3, 'manual', 1500000) returning id`,
			[org, siteId, customer]
		);
		return {
			customer,
			interaction: await one(
				`insert into public.customer_interactions (organisation_id, customer_id, site_id, kind, lead_id, note) values ($1, $2, $3, 'visit', $4, 'Showroom') returning id`,
				[org, customer, siteId, lead]
			),
			lead,
			leadRule: await one(`insert into public.lead_rules (organisation_id, site_id, position, kind) values ($1, $2, 0, 'round_robin') returning id`, [
				org,
				siteId
			]),
			leadForm: await one(`insert into public.lead_forms (organisation_id, site_id, title) values ($1, $2, 'Contact') returning id`, [org, siteId]),
			quote: await one(
				`insert into public.quotes (organisation_id, selling_site_id, lead_id, customer_id, vehicle_id, number, price_cents)
				 values ($1, $2, $3, $4, $5, $6, 1500000) returning id`,
				[org, siteId, lead, customer, vehicleId, `Q-${tag()}`]
			)
		};
	};
	const crmBySite: Partial<Record<SiteKey, CrmRows>> = {};

	const at = {} as Record<Place, PlaceRows>;
	for (const [place, shape] of Object.entries(places) as [Place, (typeof places)[Place]][]) {
		const org = orgIds[shape.org];
		const siteId = siteIds[shape.site];
		const owner = shape.owner ? accountIds[shape.owner] : null;
		const account = accountIds[shape.account];
		const s = bySite[shape.site];
		const colleague = s.colleague;
		const transferDriver = place === 'hub' ? people.driver.id : null;

		const vehicleId = await vehicle(org, siteId, owner, true);
		const crm = (crmBySite[shape.site] ??= await crmRows(org, siteId, vehicleId));
		const order = await one(
			`insert into public.orders (site_id, client_account_id, reference, deadline) values ($1, $2, $3, '2026-12-31') returning id`,
			[siteId, account, `ORD-${tag()}`]
		);
		const movement = await one(
			`insert into public.movements (site_id, client_account_id, vehicle_id, kind) values ($1, $2, $3, 'gate_in') returning id`,
			[siteId, owner, vehicleId]
		);
		const transfer = await one(
			`insert into public.transfers (organisation_id, vehicle_id, from_site_id, client_account_id, delivery_address, reason, driver_id, status)
			 values ($1, $2, $3, $4, '1 place Bellecour, Lyon', 'Delivery', $5, $6) returning id`,
			[org, vehicleId, siteId, owner, transferDriver, transferDriver ? 'driver_assigned' : 'requested']
		);
		const thread = await one(
			`insert into public.ticket_threads (site_id, client_account_id, subject_type, subject_id, title) values ($1, $2, 'order', $3, 'Question') returning id`,
			[siteId, account, order]
		);
		const message = (internal: boolean) =>
			one(
				`insert into public.ticket_messages (thread_id, site_id, client_account_id, author_id, body, internal) values ($1, $2, $3, $4, $5, $6) returning id`,
				[thread, siteId, account, colleague, internal ? 'Internal note' : 'Hello', internal]
			);

		const publicMessage = await message(false);
		const issued = await invoice(org, siteId, account, '2026-01-01');
		await manualLine(issued);
		await pool.query(
			`update public.invoices set status = 'issued', number = 'F-FIX-' || left(id::text, 8), issued_on = '2026-02-01', due_on = '2026-03-03' where id = $1`,
			[issued]
		);
		const draft = await invoice(org, siteId, account, '2026-02-01');
		const deliveryNotification = await one(
			`insert into public.notifications (user_id, kind, title) values ($1, 'order_created', 'New order') returning id`,
			[colleague]
		);
		at[place] = {
			place,
			org,
			site: siteId,
			owner,
			account,
			colleague,
			colleagueMembership: s.colleagueMembership,
			prospect: s.prospect,
			newcomer: s.newcomer,
			clientMember: clientMemberOf[shape.account],
			team: s.team,
			zone: s.zone,
			bay: s.bay,
			service: s.service,
			price: s.price,
			vehicle: vehicleId,
			order,
			task: await one(
				`insert into public.tasks (site_id, client_account_id, order_id, vehicle_id, service_id, planned_on, estimated_minutes, price_cents)
				 values ($1, $2, $3, $4, $5, $6, 30, 2500) returning id`,
				[siteId, account, order, vehicleId, s.service, KPI_PLANNED_ON]
			),
			movement,
			inspection: await one(
				`insert into public.inspections (site_id, client_account_id, vehicle_id, movement_id, mileage_km) values ($1, $2, $3, $4, 12000) returning id`,
				[siteId, owner, vehicleId, movement]
			),
			transfer,
			transferDriver,
			transferEvent: await one(
				`insert into public.transfer_events (transfer_id, from_site_id, client_account_id, driver_id, status) values ($1, $2, $3, $4, 'requested') returning id`,
				[transfer, siteId, owner, transferDriver]
			),
			thread,
			message: publicMessage,
			internalMessage: await message(true),
			threadRead: await one(
				`insert into public.thread_reads (thread_id, user_id, site_id, client_account_id) values ($1, $2, $3, $4) returning id`,
				[thread, colleague, siteId, account]
			),
			attachment: await one(
				`insert into public.ticket_attachments (message_id, thread_id, site_id, client_account_id, uploaded_by, storage_key, file_name, mime_type, size_bytes)
				 values ($1, $2, $3, $4, $5, $6, 'photo.jpg', 'image/jpeg', 1024) returning id`,
				[publicMessage, thread, siteId, account, colleague, `rls/${tag()}`]
			),
			audit: s.audit,
			change: await one<number>(
				`insert into public.change_log (table_name, op, row_id, site_ids, client_account_id) values ('vehicles', 'update', $1, array[$2::uuid], $3) returning id`,
				[vehicleId, siteId, owner]
			),
			delivery: await one(
				`insert into public.notification_deliveries (notification_id, channel, status, attempts, last_error) values ($1, 'email', 'failed', 6, '550 mailbox unavailable') returning id`,
				[deliveryNotification]
			),
			deliveryNotification,
			invoice: issued,
			invoiceDraft: draft,
			invoiceLine: await manualLine(draft),
			spareInvoiceLine: await manualLine(draft),
			document: await one(
				`insert into public.documents (organisation_id, site_id, client_account_id, kind, subject_type, subject_id, title, storage_key, byte_size)
				 values ($1, $2, $3, 'invoice', 'invoice', $4, 'F-FIX', $5, 2048) returning id`,
				[org, siteId, account, issued, `rls/${tag()}.pdf`]
			),
			template: s.template,
			...driverRows[shape.org],
			device: s.device,
			stockImport: s.stockImport,
			crm,
			spare: {
				site: s.spareSite,
				account: s.spareAccount,
				vehicle: await vehicle(org, siteId, owner),
				service: s.spareService
			}
		};
	}

	const notifications = {} as Record<Persona, string>;
	for (const [persona, p] of Object.entries(people) as [Persona, (typeof people)[Persona]][]) {
		notifications[persona] = await one(`insert into public.notifications (user_id, kind, title) values ($1, 'order.created', 'New order') returning id`, [
			p.id
		]);
	}

	const preferences = {} as Record<Persona, string>;
	const pushSubscriptions = {} as Record<Persona, string>;
	const receipts = {} as Record<Persona, string>;
	for (const [persona, p] of Object.entries(people) as [Persona, (typeof people)[Persona]][]) {
		preferences[persona] = await one(
			`insert into public.notification_preferences (user_id, kind, in_app, email, push, sms) values ($1, 'order_created', true, false, false, false) returning id`,
			[p.id]
		);
		pushSubscriptions[persona] = await one(
			`insert into public.push_subscriptions (user_id, endpoint, p256dh, auth) values ($1, 'https://push.test/' || gen_random_uuid(), 'p256dh', 'auth') returning id`,
			[p.id]
		);
		receipts[persona] = await one(
			`insert into public.action_receipts (user_id, idempotency_key, action) values ($1, gen_random_uuid(), 'task.start') returning idempotency_key as id`,
			[p.id]
		);
	}

	const dealer2Site = await site(world.orgId, 'dealership');
	const groupStock = {
		dealer2Site,
		dealer2Vehicle: await vehicle(world.orgId, dealer2Site, null),
		otherOrgVehicle: await vehicle(world.otherOrgId, world.sites.otherOrg, null)
	};

	return { world, at, notifications, preferences, pushSubscriptions, receipts, orgIds, siteIds, accountIds, groupStock };
}
