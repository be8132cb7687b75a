import { personas, testVin, type Persona } from '../world';
import { home, outOfReach, placeNames, places, type Kind, type Place, type Scope, type Table } from './expectations';
import { square, type PlaceRows, type RlsFixture } from './fixture';

/** One SQL statement with its parameters. */
export interface Statement {
	text: string;
	values: unknown[];
}

interface Common {
	/** Column that identifies a row (compared as text: audit and change logs use bigint ids). */
	key: string;
	/** A harmless change, as the SET clause of an update. */
	set: string;
}

/** A table whose rows live at places (a site, and a client account where one owns them). */
interface PlaceSpec extends Common {
	kind: Exclude<Kind, 'personal'>;
	/** For owned and account rows: which account of the place owns them. */
	ownedBy?: 'owner' | 'account';
	/** The row a persona of this place acts on. */
	row(p: PlaceRows): string | number;
	/** The row to delete when `row` has dependents that foreign keys protect. */
	spare?(p: PlaceRows): string;
	/** A new row at the place, valid in every respect but permissions. */
	insert(p: PlaceRows): Statement;
}

/** A table of one person's rows. */
interface PersonalSpec extends Common {
	kind: 'personal';
	/** The persona's own row. */
	row(fx: RlsFixture, who: Persona): string;
	insert(user: string): Statement;
}

type TableSpec = PlaceSpec | PersonalSpec;

export const sql = (text: string, ...values: unknown[]): Statement => ({ text, values });

export const specs: Record<Table, TableSpec> = {
	organisations: {
		kind: 'organisation',
		key: 'id',
		set: `settings = settings || '{"reviewed": true}'`,
		row: (p) => p.org,
		insert: () => sql(`insert into public.organisations (name) values ('New organisation')`)
	},
	sites: {
		kind: 'organisation',
		key: 'id',
		set: 'capacity = capacity + 1',
		row: (p) => p.site,
		spare: (p) => p.spare.site,
		insert: (p) =>
			sql(
				`insert into public.sites (organisation_id, code, name, kind, legal_name, siret, vat_number, address_line, postcode, city, latitude, longitude)
				 values ($1, 'NEW-1', 'New site', 'hub', 'New SAS', '12345678900011', 'FR12123456789', '3 rue du Test', '69000', 'Lyon', 45.7, 4.8)`,
				p.org
			)
	},
	teams: {
		kind: 'site',
		key: 'id',
		set: 'daily_capacity_minutes = daily_capacity_minutes + 1',
		row: (p) => p.team,
		insert: (p) => sql(`insert into public.teams (site_id, name) values ($1, 'New team')`, p.site)
	},
	profiles: {
		kind: 'organisation',
		key: 'id',
		set: `phone = '+33600000000'`,
		row: (p) => p.colleague,
		// The colleague authored messages (kept by a foreign key); the prospect has done nothing.
		spare: (p) => p.prospect,
		insert: (p) =>
			sql(
				`insert into public.profiles (id, organisation_id, full_name, email) values ($1, $2, 'New person', 'new.person@test.relais')`,
				p.newcomer,
				p.org
			)
	},
	memberships: {
		kind: 'site',
		key: 'id',
		set: 'role = role',
		row: (p) => p.colleagueMembership,
		insert: (p) =>
			sql(
				`insert into public.memberships (organisation_id, user_id, site_id, role) values ($1, $2, $3, 'team_lead')`,
				p.org,
				p.colleague,
				p.site
			)
	},
	client_accounts: {
		kind: 'account',
		ownedBy: 'account',
		key: 'id',
		set: `billing_email = 'billing@test.relais'`,
		row: (p) => p.account,
		spare: (p) => p.spare.account,
		insert: (p) => sql(`insert into public.client_accounts (organisation_id, name) values ($1, 'New account')`, p.org)
	},
	client_members: {
		kind: 'account',
		ownedBy: 'account',
		key: 'user_id',
		set: 'created_at = created_at',
		row: (p) => p.clientMember,
		insert: (p) => sql(`insert into public.client_members (client_account_id, user_id) values ($1, $2)`, p.account, p.prospect)
	},
	yard_zones: {
		kind: 'site',
		key: 'id',
		set: `name = name || ' (edited)'`,
		row: (p) => p.zone,
		insert: (p) =>
			sql(`insert into public.yard_zones (site_id, code, name, kind, geometry) values ($1, 'NEW', 'New zone', 'wash', $2)`, p.site, square)
	},
	bays: {
		kind: 'site',
		key: 'id',
		set: 'rank = rank + 1',
		row: (p) => p.bay,
		insert: (p) => sql(`insert into public.bays (site_id, zone_id, number, geometry) values ($1, $2, 'NEW', $3)`, p.site, p.zone, square)
	},
	vehicles: {
		kind: 'owned',
		ownedBy: 'owner',
		key: 'id',
		set: 'mileage_km = mileage_km + 1',
		row: (p) => p.vehicle,
		spare: (p) => p.spare.vehicle,
		insert: (p) =>
			sql(
				`insert into public.vehicles (organisation_id, site_id, client_account_id, vin, make, model, energy) values ($1, $2, $3, $4, 'Peugeot', '208', 'electric')`,
				p.org,
				p.site,
				p.owner,
				testVin()
			)
	},
	services: {
		kind: 'catalogue',
		key: 'id',
		set: 'default_minutes = default_minutes + 1',
		row: (p) => p.service,
		spare: (p) => p.spare.service,
		insert: (p) =>
			sql(
				`insert into public.services (site_id, code, name_fr, name_en, zone_kind, default_minutes) values ($1, 'NEW', 'Nouveau', 'New', 'workshop', 60)`,
				p.site
			)
	},
	prices: {
		kind: 'catalogue',
		key: 'id',
		// A price is never rewritten (migration 1100): the harmless change closes the version.
		set: `valid_to = '2099-12-31'`,
		row: (p) => p.price,
		insert: (p) =>
			sql(`insert into public.prices (site_id, service_id, unit_price_cents, valid_from) values ($1, $2, 1000, '2027-01-01')`, p.site, p.service)
	},
	orders: {
		kind: 'owned',
		ownedBy: 'account',
		key: 'id',
		set: `notes = 'edited'`,
		row: (p) => p.order,
		insert: (p) =>
			sql(
				`insert into public.orders (site_id, client_account_id, reference, deadline) values ($1, $2, 'NEW-ORDER', '2027-01-31')`,
				p.site,
				p.account
			)
	},
	tasks: {
		kind: 'owned',
		ownedBy: 'account',
		key: 'id',
		set: `comment = 'edited'`,
		row: (p) => p.task,
		insert: (p) =>
			sql(
				`insert into public.tasks (site_id, client_account_id, order_id, vehicle_id, service_id, estimated_minutes, price_cents)
				 values ($1, $2, $3, $4, $5, 30, 2500)`,
				p.site,
				p.account,
				p.order,
				p.vehicle,
				p.service
			)
	},
	movements: {
		kind: 'owned',
		ownedBy: 'owner',
		key: 'id',
		set: 'occurred_at = occurred_at',
		row: (p) => p.movement,
		insert: (p) =>
			sql(
				`insert into public.movements (site_id, client_account_id, vehicle_id, kind) values ($1, $2, $3, 'gate_out')`,
				p.site,
				p.owner,
				p.vehicle
			)
	},
	inspections: {
		kind: 'owned',
		ownedBy: 'owner',
		key: 'id',
		set: `comments = 'edited'`,
		row: (p) => p.inspection,
		insert: (p) =>
			sql(
				`insert into public.inspections (site_id, client_account_id, vehicle_id, mileage_km) values ($1, $2, $3, 12500)`,
				p.site,
				p.owner,
				p.vehicle
			)
	},
	transfers: {
		kind: 'owned',
		ownedBy: 'owner',
		key: 'id',
		set: 'updated_at = now()',
		row: (p) => p.transfer,
		insert: (p) =>
			sql(
				`insert into public.transfers (organisation_id, vehicle_id, from_site_id, client_account_id, delivery_address, reason)
				 values ($1, $2, $3, $4, '5 quai Saint-Antoine, Lyon', 'Delivery')`,
				p.org,
				p.spare.vehicle,
				p.site,
				p.owner
			)
	},
	transfer_events: {
		kind: 'owned',
		ownedBy: 'owner',
		key: 'id',
		set: `note = 'edited'`,
		row: (p) => p.transferEvent,
		// A step of the place's transfer, carrying the transfer's own routing columns.
		insert: (p) =>
			sql(
				`insert into public.transfer_events (transfer_id, from_site_id, client_account_id, driver_id, status, note) values ($1, $2, $3, $4, 'picked_up', 'Step')`,
				p.transfer,
				p.site,
				p.owner,
				p.transferDriver
			)
	},
	ticket_threads: {
		kind: 'owned',
		ownedBy: 'account',
		key: 'id',
		set: `status = 'pending'`,
		row: (p) => p.thread,
		insert: (p) =>
			sql(
				`insert into public.ticket_threads (site_id, client_account_id, subject_type, subject_id, title) values ($1, $2, 'order', $3, 'New question')`,
				p.site,
				p.account,
				p.order
			)
	},
	ticket_messages: {
		kind: 'owned',
		ownedBy: 'account',
		key: 'id',
		set: `body = 'edited'`,
		row: (p) => p.message,
		insert: (p) =>
			sql(
				`insert into public.ticket_messages (thread_id, site_id, client_account_id, body) values ($1, $2, $3, 'Reply')`,
				p.thread,
				p.site,
				p.account
			)
	},
	thread_reads: {
		kind: 'owned',
		ownedBy: 'account',
		key: 'id',
		set: 'last_read_at = now()',
		// The row is a colleague's receipt; the insert records the persona's own reading.
		row: (p) => p.threadRead,
		insert: (p) =>
			sql(`insert into public.thread_reads (thread_id, site_id, client_account_id) values ($1, $2, $3)`, p.thread, p.site, p.account)
	},
	ticket_attachments: {
		kind: 'owned',
		ownedBy: 'account',
		key: 'id',
		set: `file_name = 'renamed.jpg'`,
		row: (p) => p.attachment,
		// On the colleague's message: only a message's author attaches files to it.
		insert: (p) =>
			sql(
				`insert into public.ticket_attachments (message_id, thread_id, site_id, client_account_id, storage_key, file_name, mime_type, size_bytes)
				 values ($1, $2, $3, $4, gen_random_uuid()::text, 'photo.jpg', 'image/jpeg', 1024)`,
				p.message,
				p.thread,
				p.site,
				p.account
			)
	},
	notifications: {
		kind: 'personal',
		key: 'id',
		set: 'read_at = now()',
		row: (fx, who) => fx.notifications[who],
		insert: (user) => sql(`insert into public.notifications (user_id, kind, title) values ($1, 'order.created', 'New order')`, user)
	},
	notification_preferences: {
		kind: 'personal',
		key: 'id',
		set: 'email = not email',
		// The row is the choice for order_created; the insert is another kind's.
		row: (fx, who) => fx.preferences[who],
		insert: (user) =>
			sql(`insert into public.notification_preferences (user_id, kind, in_app, email, push, sms) values ($1, 'order_ready', true, true, false, false)`, user)
	},
	action_receipts: {
		kind: 'personal',
		key: 'idempotency_key',
		set: `result = '"edited"'`,
		row: (fx, who) => fx.receipts[who],
		insert: (user) => sql(`insert into public.action_receipts (user_id, idempotency_key, action) values ($1, gen_random_uuid(), 'task.start')`, user)
	},
	push_subscriptions: {
		kind: 'personal',
		key: 'id',
		set: `auth = 'renewed'`,
		row: (fx, who) => fx.pushSubscriptions[who],
		insert: (user) =>
			sql(
				`insert into public.push_subscriptions (user_id, endpoint, p256dh, auth) values ($1, 'https://push.test/' || gen_random_uuid(), 'p256dh', 'auth')`,
				user
			)
	},
	notification_deliveries: {
		kind: 'organisation',
		key: 'id',
		set: `last_error = 'edited'`,
		row: (p) => p.delivery,
		insert: (p) => sql(`insert into public.notification_deliveries (notification_id, channel) values ($1, 'sms')`, p.deliveryNotification)
	},
	invoices: {
		kind: 'owned',
		ownedBy: 'account',
		key: 'id',
		// What may still move on an issued invoice.
		set: 'export_attempts = export_attempts + 1',
		row: (p) => p.invoice,
		spare: (p) => p.invoiceDraft,
		insert: (p) =>
			sql(
				`insert into public.invoices (organisation_id, site_id, client_account_id, period_start, period_end) values ($1, $2, $3, '2025-06-01', '2025-06-30')`,
				p.org,
				p.site,
				p.account
			)
	},
	invoice_lines: {
		kind: 'owned',
		ownedBy: 'account',
		key: 'id',
		set: 'quantity = quantity + 1',
		row: (p) => p.invoiceLine,
		spare: (p) => p.spareInvoiceLine,
		insert: (p) =>
			sql(
				`insert into public.invoice_lines (invoice_id, site_id, client_account_id, description, unit_price_cents, vat_rate_bp, added_reason)
				 values ($1, $2, $3, 'Convoyage', 9000, 2000, 'added')`,
				p.invoiceDraft,
				p.site,
				p.account
			)
	},
	invoice_counters: {
		kind: 'site',
		key: 'site_id',
		set: 'last_number = last_number + 1',
		row: (p) => p.site,
		insert: (p) => sql(`insert into public.invoice_counters (site_id, year, kind) values ($1, 2031, 'credit_note')`, p.site)
	},
	documents: {
		kind: 'owned',
		ownedBy: 'account',
		key: 'id',
		set: `title = 'renamed'`,
		row: (p) => p.document,
		insert: (p) =>
			sql(
				`insert into public.documents (organisation_id, site_id, client_account_id, kind, subject_type, subject_id, title, storage_key, byte_size)
				 values ($1, $2, $3, 'delivery_report', 'order', $4, 'PV', 'rls/' || gen_random_uuid() || '.pdf', 4096)`,
				p.org,
				p.site,
				p.account,
				p.order
			)
	},
	document_templates: {
		kind: 'site',
		key: 'id',
		set: `texts = texts || '{"intro": "Bonjour"}'`,
		row: (p) => p.template,
		insert: (p) => sql(`insert into public.document_templates (site_id, kind, locale, texts) values ($1, 'credit_note', 'en', '{}')`, p.site)
	},
	audit_log: {
		kind: 'site',
		key: 'id',
		set: `reason = 'edited'`,
		row: (p) => p.audit,
		insert: (p) => sql(`insert into public.audit_log (site_id, table_name, row_id, op) values ($1, 'orders', $2, 'update')`, p.site, p.order)
	},
	change_log: {
		kind: 'owned',
		ownedBy: 'owner',
		key: 'id',
		set: 'internal = internal',
		row: (p) => p.change,
		insert: (p) =>
			sql(
				`insert into public.change_log (table_name, op, row_id, site_ids, client_account_id) values ('orders', 'update', $1, array[$2::uuid], $3)`,
				p.order,
				p.site,
				p.owner
			)
	},
	kpi_devices: {
		kind: 'site',
		key: 'id',
		// What an admin does to a device: revoke it.
		set: 'revoked_at = now(), revoked_by = auth.uid()',
		row: (p) => p.device,
		insert: (p) =>
			sql(
				`insert into public.kpi_devices (organisation_id, site_id, name, token_hash, panels, created_by)
				 values ($1, $2, 'New wall', encode(sha256(gen_random_uuid()::text::bytea), 'hex'), '{headline}', auth.uid())`,
				p.org,
				p.site
			)
	},
	// Row: a stock import job at the site; only the person who started it records its progress.
	stock_imports: {
		kind: 'site',
		key: 'id',
		set: 'processed_rows = processed_rows + 1',
		row: (p) => p.stockImport,
		insert: (p) =>
			sql(`insert into public.stock_imports (organisation_id, site_id, file_name, total_rows) values ($1, $2, 'new.csv', 3)`, p.org, p.site)
	},
	// Row: the organisation's driver record (at `org`, the driver persona's own).
	drivers: {
		kind: 'organisation',
		key: 'id',
		set: `phone = '+33600000001'`,
		row: (p) => p.driverRecord,
		insert: (p) =>
			sql(`insert into public.drivers (organisation_id, kind, full_name, partner_company) values ($1, 'partner', 'New partner', 'Convoi')`, p.org)
	},
	driver_documents: {
		kind: 'organisation',
		key: 'id',
		set: `number = 'B-123456'`,
		row: (p) => p.driverDocument,
		insert: (p) =>
			sql(
				`insert into public.driver_documents (organisation_id, driver_id, kind, expires_on) values ($1, $2, 'professional_card', '2031-01-01')`,
				p.org,
				p.driverRecord
			)
	},
	// One row per site and table in the fixture (see fixture.ts), so the site identifies it.
	kpi_vehicle_days: {
		kind: 'site',
		key: 'site_id',
		set: 'processed = processed + 1',
		row: (p) => p.site,
		insert: (p) => sql(`insert into public.kpi_vehicle_days (site_id, day, processed) values ($1, '2031-01-01', 1)`, p.site)
	},
	kpi_task_days: {
		kind: 'site',
		key: 'site_id',
		set: 'planned = planned + 1',
		row: (p) => p.site,
		insert: (p) => sql(`insert into public.kpi_task_days (site_id, day, team_id, planned) values ($1, '2031-01-01', null, 1)`, p.site)
	},
	kpi_invoice_days: {
		kind: 'site',
		key: 'site_id',
		set: 'revenue_cents = revenue_cents + 1',
		row: (p) => p.site,
		insert: (p) => sql(`insert into public.kpi_invoice_days (site_id, day, revenue_cents) values ($1, '2031-01-01', 100)`, p.site)
	},
	// CRM: customers, their history, the rules and the quotes are read across the organisation
	// (what is written stays per site: crm.test.ts); leads and forms are the site's.
	customers: {
		kind: 'organisation',
		key: 'id',
		set: `city = 'Vienne'`,
		row: (p) => p.crm.customer,
		insert: (p) =>
			sql(`insert into public.customers (organisation_id, last_name, phone, first_site_id) values ($1, 'Martin', '06 12 34 56 78', $2)`, p.org, p.site)
	},
	customer_interactions: {
		kind: 'organisation',
		key: 'id',
		set: `note = 'edited'`,
		row: (p) => p.crm.interaction,
		insert: (p) =>
			sql(
				`insert into public.customer_interactions (organisation_id, customer_id, site_id, kind, note) values ($1, $2, $3, 'call', 'Called back')`,
				p.org,
				p.crm.customer,
				p.site
			)
	},
	leads: {
		kind: 'site',
		key: 'id',
		set: 'value_cents = value_cents + 1',
		row: (p) => p.crm.lead,
		insert: (p) =>
			sql(`insert into public.leads (organisation_id, site_id, customer_id, source) values ($1, $2, $3, 'manual')`, p.org, p.site, p.crm.customer)
	},
	lead_rules: {
		kind: 'organisation',
		key: 'id',
		set: 'enabled = not enabled',
		row: (p) => p.crm.leadRule,
		insert: (p) => sql(`insert into public.lead_rules (organisation_id, site_id, position, kind) values ($1, $2, 1, 'vehicle_site')`, p.org, p.site)
	},
	lead_forms: {
		kind: 'site',
		key: 'id',
		set: `title = 'Essai'`,
		row: (p) => p.crm.leadForm,
		insert: (p) => sql(`insert into public.lead_forms (organisation_id, site_id, title) values ($1, $2, 'Reprise')`, p.org, p.site)
	},
	quotes: {
		kind: 'organisation',
		key: 'id',
		set: 'price_cents = price_cents + 1',
		row: (p) => p.crm.quote,
		insert: (p) =>
			sql(
				`insert into public.quotes (organisation_id, selling_site_id, customer_id, vehicle_id, number, price_cents)
				 values ($1, $2, $3, $4, 'Q-' || left(md5(gen_random_uuid()::text), 12), 1490000)`,
				p.org,
				p.site,
				p.crm.customer,
				p.vehicle
			)
	}
};

/** A row to act on: read and updated by `id`, deleted by `deleteId`, and a new row beside it. */
export interface Target {
	label: string;
	id: string;
	deleteId: string;
	insert: Statement;
}

function placeTarget(fx: RlsFixture, spec: PlaceSpec, place: Place): Target {
	const rows = fx.at[place];
	return { label: place, id: String(spec.row(rows)), deleteId: String((spec.spare ?? spec.row)(rows)), insert: spec.insert(rows) };
}

function personTarget(fx: RlsFixture, spec: PersonalSpec, who: Persona): Target {
	const id = spec.row(fx, who);
	return { label: who, id, deleteId: id, insert: spec.insert(fx.world.people[who].id) };
}

/**
 * The persona's own row of the table, and every row of the fixture outside their reach: each
 * place (or each other person) that the scope rules of expectations.ts put out of reach.
 */
export function targetsFor(fx: RlsFixture, table: Table, persona: Persona): { own: Target; outside: Target[] } {
	const spec = specs[table];
	if (spec.kind === 'personal') {
		return {
			own: personTarget(fx, spec, persona),
			outside: personas.filter((p) => p !== persona).map((p) => personTarget(fx, spec, p))
		};
	}
	const own = placeTarget(fx, spec, home[persona]);
	const seen = new Set([own.id]);
	const outside: Target[] = [];
	for (const place of placeNames) {
		const { org, site, owner, account } = places[place];
		const scope: Scope = { org, site, account: spec.ownedBy === 'owner' ? owner : account };
		const target = placeTarget(fx, spec, place);
		if (seen.has(target.id) || !outOfReach(persona, spec.kind, scope)) continue;
		seen.add(target.id);
		outside.push(target);
	}
	return { own, outside };
}

/** The rows of every place (or person), for the checks made as the database owner. */
export function allTargets(fx: RlsFixture, table: Table): Target[] {
	const spec = specs[table];
	return spec.kind === 'personal'
		? personas.map((p) => personTarget(fx, spec, p))
		: placeNames.map((place) => placeTarget(fx, spec, place));
}
