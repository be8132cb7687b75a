import { personas, type Persona } from '../world';

/**
 * Who may do what, table by table: the product's access rules written as data. The matrix test
 * (matrix.test.ts) runs every cell as that persona against a row of the persona's own scope and
 * proves, besides, that nobody reaches a row outside their scope.
 *
 * A cell reads S I U D (select, insert, update, delete); `-` means denied. Columns follow
 * `personas` in world.ts:
 *   operator, team_lead, csm, site_manager and driver work at `hub`; sales at `dealer`;
 *   director and admin organisation-wide; operator_other_site at `hub2`; client is a member of
 *   `acme`, client_other_account of `beta`; admin_other_org administers another organisation.
 */
type Letter<L extends string> = L | '-';
export type Cell = `${Letter<'S'>}${Letter<'I'>}${Letter<'U'>}${Letter<'D'>}`;
type Row = [Cell, Cell, Cell, Cell, Cell, Cell, Cell, Cell, Cell, Cell, Cell, Cell];

export const operations = ['select', 'insert', 'update', 'delete'] as const;
export type Operation = (typeof operations)[number];

// prettier-ignore
export const matrix = {
	//                  operator team_ld csm     sales   site_mg directr driver  client  admin   op@hub2 cli@bta adm@oth
	// Everyone reads their own organisation; only its admins change its settings.
	organisations:    ['S---', 'S---', 'S---', 'S---', 'S---', 'S---', 'S---', 'S---', 'S-U-', 'S---', 'S---', 'S-U-'],
	// Everyone of the organisation reads its sites (documents carry their legal details);
	// a site manager edits their site; admins open and close sites.
	sites:            ['S---', 'S---', 'S---', 'S---', 'S-U-', 'S---', 'S---', 'S---', 'SIUD', 'S---', 'S---', 'SIUD'],
	teams:            ['S---', 'SIU-', 'S---', 'S---', 'SIUD', 'S---', '----', '----', 'SIUD', 'S---', '----', 'SIUD'],
	// Row: a colleague's profile. Staff read the organisation's people; people edit their own
	// profile, and admins, who administer people, anyone's of their organisation.
	profiles:         ['S---', 'S---', 'S---', 'S---', 'S---', 'S---', '----', '----', 'SIUD', 'S---', '----', 'SIUD'],
	// Row: a colleague's membership at the persona's site. Site managers staff their own site,
	// team leads read it to plan by operator; admins grant any role; everyone reads their own
	// memberships (scenarios.test.ts).
	memberships:      ['----', 'S---', '----', '----', 'SI-D', 'S---', '----', '----', 'SIUD', '----', '----', 'SIUD'],
	client_accounts:  ['S---', 'S---', 'SIU-', 'S---', 'S---', 'S---', '----', 'S---', 'SIUD', 'S---', 'S---', 'SIUD'],
	// Row: the client's own membership of their account. Nothing to update: add or remove.
	client_members:   ['S---', 'S---', 'SI-D', 'S---', 'S---', 'S---', '----', 'S---', 'SI-D', 'S---', 'S---', 'SI-D'],
	yard_zones:       ['S---', 'S---', 'S---', 'S---', 'SIUD', 'S---', '----', '----', 'SIUD', 'S---', '----', 'SIUD'],
	bays:             ['S---', 'S---', 'S---', 'S---', 'SIUD', 'S---', '----', '----', 'SIUD', 'S---', '----', 'SIUD'],
	// Row: a client's vehicle at the site (dealer stock for sales); for the driver, the vehicle
	// they convey. Site staff register and update vehicles; the director only looks; clients
	// announce new vehicles of their own account (expected, nothing else set).
	vehicles:         ['SIU-', 'SIU-', 'SIU-', 'SIU-', 'SIUD', 'S---', 'S---', 'SI--', 'SIUD', 'SIU-', 'SI--', 'SIUD'],
	// The catalogue: clients read the organisation's active services to order.
	services:         ['S---', 'S---', 'S---', 'S---', 'SIUD', 'S---', '----', 'S---', 'SIUD', 'S---', 'S---', 'SIUD'],
	// Operators and team leads see prices but never edit them. Clients read the general prices
	// and their own (the row is a general price); an update only closes a version.
	prices:           ['S---', 'S---', 'S---', 'S---', 'SIUD', 'S---', '----', 'S---', 'SIUD', 'S---', 'S---', 'SIUD'],
	orders:           ['S---', 'S-U-', 'SIU-', 'S---', 'SIUD', 'S---', '----', 'SI--', 'SIUD', 'S---', 'SI--', 'SIUD'],
	// Operators mark tasks done; clients add tasks to their own orders.
	tasks:            ['S-U-', 'S-U-', 'SIUD', 'S---', 'SIUD', 'S---', '----', 'SI--', 'SIUD', 'S-U-', 'SI--', 'SIUD'],
	// Gate records and inspections are facts: recorded by yard staff, never edited nor deleted.
	movements:        ['SI--', 'SI--', 'S---', 'S---', 'SI--', 'S---', '----', 'S---', 'SI--', 'SI--', 'S---', 'SI--'],
	inspections:      ['SI--', 'SI--', 'S---', 'S---', 'SI--', 'S---', '----', 'S---', 'SI--', 'SI--', 'S---', 'SI--'],
	// Row: a delivery from the site to the client (at hub, assigned to the driver). The sending
	// site requests; managers and the director move it on; the driver moves on their own.
	transfers:        ['S---', 'S---', 'SI--', 'SI--', 'SIU-', 'SIU-', 'S-U-', 'S---', 'SIUD', 'S---', 'S---', 'SIUD'],
	// Steps of a transfer: written by the transfer's trigger only, never by hand (migration
	// 20261203000400); whoever sees the transfer sees its steps.
	transfer_events:  ['S---', 'S---', 'S---', 'S---', 'S---', 'S---', 'S---', 'S---', 'S---', 'S---', 'S---', 'S---'],
	// Row: the organisation's driver record (the driver persona's own) and one of its documents.
	// Managers of the organisation keep them (admins alone delete a driver); a driver reads their own.
	drivers:          ['----', '----', '----', '----', 'SIU-', 'SIU-', 'S---', '----', 'SIUD', '----', '----', 'SIUD'],
	driver_documents: ['----', '----', '----', '----', 'SIUD', 'SIUD', 'S---', '----', 'SIUD', '----', '----', 'SIUD'],
	ticket_threads:   ['SIU-', 'SIU-', 'SIU-', 'SIU-', 'SIU-', 'SIU-', '----', 'SI--', 'SIUD', 'SIU-', 'SI--', 'SIUD'],
	// Row: a public message. Append-only; internal notes are covered in scenarios.test.ts.
	ticket_messages:  ['SI--', 'SI--', 'SI--', 'SI--', 'SI--', 'SI--', '----', 'SI--', 'SI--', 'SI--', 'SI--', 'SI--'],
	// Row: a colleague's read receipt. Whoever reads the thread sees receipts and records their
	// own (the insert); nobody moves someone else's on, nor deletes one.
	thread_reads:     ['SI--', 'SI--', 'SI--', 'SI--', 'SI--', 'SI--', '----', 'SI--', 'SI--', 'SI--', 'SI--', 'SI--'],
	// Row: a file on a colleague's public message. Only a message's author attaches files to it
	// (scenarios in tests/integration/threads); files are never edited nor deleted by people.
	ticket_attachments: ['S---', 'S---', 'S---', 'S---', 'S---', 'S---', '----', 'S---', 'S---', 'S---', 'S---', 'S---'],
	// Row: the persona's own notification. Written by the system; people read, mark, clear.
	notifications:    ['S-UD', 'S-UD', 'S-UD', 'S-UD', 'S-UD', 'S-UD', 'S-UD', 'S-UD', 'S-UD', 'S-UD', 'S-UD', 'S-UD'],
	// Row: the persona's own choice for a kind, and a browser they subscribed to web push.
	notification_preferences: ['SIUD', 'SIUD', 'SIUD', 'SIUD', 'SIUD', 'SIUD', 'SIUD', 'SIUD', 'SIUD', 'SIUD', 'SIUD', 'SIUD'],
	// Row: the persona's own receipt of a replayed phone action; only its answer is ever updated.
	action_receipts:  ['SIU-', 'SIU-', 'SIU-', 'SIU-', 'SIU-', 'SIU-', 'SIU-', 'SIU-', 'SIU-', 'SIU-', 'SIU-', 'SIU-'],
	push_subscriptions: ['SIUD', 'SIUD', 'SIUD', 'SIUD', 'SIUD', 'SIUD', 'SIUD', 'SIUD', 'SIUD', 'SIUD', 'SIUD', 'SIUD'],
	// Row: a failed email to a colleague. The queue is the service's; admins read its failures.
	notification_deliveries: ['----', '----', '----', '----', '----', '----', '----', '----', 'S---', '----', '----', 'S---'],
	// Row: an issued invoice of the persona's account. Billing staff write invoices (only drafts
	// change in substance: triggers freeze issued ones, see tests/integration/invoicing), the
	// director reads them, clients read their account's issued invoices; drafts are deleted.
	invoices:         ['----', '----', 'SIUD', '----', 'SIUD', 'S---', '----', 'S---', 'SIUD', '----', 'S---', 'SIUD'],
	// Row: a line of a draft, which clients never see (lines of issued invoices: invoicing tests).
	invoice_lines:    ['----', '----', 'SIUD', '----', 'SIUD', 'S---', '----', '----', 'SIUD', '----', '----', 'SIUD'],
	// Numbers move only through private.next_invoice_number, as whoever issues; billing staff
	// read where their series stand.
	invoice_counters: ['----', '----', 'S---', '----', 'S---', '----', '----', '----', 'S---', '----', '----', 'S---'],
	// Row: an invoice PDF for the place's account. Staff who produce documents file them; the
	// site's staff and the account's clients read them; they are never edited; admins remove.
	documents:        ['SI--', 'SI--', 'SI--', 'S---', 'SI--', 'S---', '----', 'S---', 'SI-D', 'SI--', 'S---', 'SI-D'],
	// Template texts: the site's staff read, its managers write.
	document_templates: ['S---', 'S---', 'S---', 'S---', 'SIUD', 'S---', '----', '----', 'SIUD', 'S---', '----', 'SIUD'],
	// Written by triggers only; read by CSMs and managers of the site.
	audit_log:        ['----', '----', 'S---', '----', 'S---', 'S---', '----', '----', 'S---', '----', '----', 'S---'],
	// Row: a change routed to the site and the vehicle's client. Read-only.
	change_log:       ['S---', 'S---', 'S---', 'S---', 'S---', 'S---', '----', 'S---', 'S---', 'S---', 'S---', 'S---'],
	// Row: a KPI wall device of the site. Admins create and revoke them (an update); nobody
	// deletes one, nobody else reads one (its token hash). Device claims: kpi-devices.test.ts.
	// Row: a stock import started by the hub's site manager. Managers and admins of the site read
	// and start imports; only their starter moves one on; nobody deletes one.
	stock_imports:    ['----', '----', '----', '----', 'SIU-', '----', '----', '----', 'SI--', '----', '----', 'SI--'],
	kpi_devices:      ['----', '----', '----', '----', '----', '----', '----', '----', 'SIU-', '----', '----', 'SIU-'],
	// Row: the site's daily KPI figures, kept by triggers only (nobody writes them). Read by the
	// site's managers, and by directors and admins of the organisation; revenue likewise.
	kpi_vehicle_days: ['----', '----', '----', '----', 'S---', 'S---', '----', '----', 'S---', '----', '----', 'S---'],
	kpi_task_days:    ['----', '----', '----', '----', 'S---', 'S---', '----', '----', 'S---', '----', '----', 'S---'],
	kpi_invoice_days: ['----', '----', '----', '----', 'S---', 'S---', '----', '----', 'S---', '----', '----', 'S---'],
	// CRM (migration 20261203001300). Sellers are the sales people and site managers of
	// dealerships, directors and admins (private.works_crm): the hub's manager has no CRM. Row: a customer first met at the
	// place's site. One customer across the group: every seller reads and records customers;
	// deleting is merging, managers only.
	customers:        ['----', '----', '----', 'SIU-', '----', 'SIUD', '----', '----', 'SIUD', '----', '----', 'SIUD'],
	// Row: a visit at the place's site. The history is the group's: every seller reads it, records
	// it at their own sites; managers of the site correct or remove it.
	customer_interactions: ['----', '----', '----', 'SI--', '----', 'SIUD', '----', '----', 'SIUD', '----', '----', 'SIUD'],
	// Row: a lead assigned to the place's site. A site's sellers work its leads; its managers
	// delete them (unassigned leads: crm.test.ts).
	leads:            ['----', '----', '----', 'SIU-', '----', 'SIUD', '----', '----', 'SIUD', '----', '----', 'SIUD'],
	// Row: the place's site's own assignment rule. Every seller reads the rules; the site's
	// managers keep its own, directors and admins the organisation's (crm.test.ts).
	lead_rules:       ['----', '----', '----', 'S---', '----', 'SIUD', '----', '----', 'SIUD', '----', '----', 'SIUD'],
	// Row: the site's public web form. Its sellers read it (to hand out its address); its
	// managers open, edit and close it.
	lead_forms:       ['----', '----', '----', 'S---', '----', 'SIUD', '----', '----', 'SIUD', '----', '----', 'SIUD'],
	// Row: a quote sold by the place's site. Every seller reads the group's quotes (not their
	// margins: crm.test.ts); a site's sellers write its quotes, its managers delete them.
	quotes:           ['----', '----', '----', 'SIU-', '----', 'SIUD', '----', '----', 'SIUD', '----', '----', 'SIUD']
} satisfies Record<string, Row>;

export type Table = keyof typeof matrix;
export const tables = Object.keys(matrix) as Table[];

const letter: Record<Operation, string> = { select: 'S', insert: 'I', update: 'U', delete: 'D' };

export function expected(table: Table, persona: Persona, operation: Operation): boolean {
	const cell: Cell = matrix[table][personas.indexOf(persona)];
	return cell.includes(letter[operation]);
}

// ─── scopes ─────────────────────────────────────────────────────────────────────────────────
// Where each persona acts, and what lies outside their reach: those rows must stay invisible
// and untouchable whatever the cell says.

export type OrgKey = 'org' | 'otherOrg';
export type SiteKey = 'hub' | 'hub2' | 'dealer' | 'otherOrg';
export type AccountKey = 'acme' | 'beta' | 'otherOrg';

/**
 * A place is a site together with the client account its rows belong to. `owner` owns the
 * vehicles there (and their movements, inspections, transfers); `account` orders there.
 * Dealer stock belongs to no client.
 */
export const places = {
	hub: { org: 'org', site: 'hub', owner: 'acme', account: 'acme' },
	beta: { org: 'org', site: 'hub', owner: 'beta', account: 'beta' },
	hub2: { org: 'org', site: 'hub2', owner: 'acme', account: 'acme' },
	dealer: { org: 'org', site: 'dealer', owner: null, account: 'acme' },
	otherOrg: { org: 'otherOrg', site: 'otherOrg', owner: 'otherOrg', account: 'otherOrg' }
} as const satisfies Record<string, { org: OrgKey; site: SiteKey; owner: AccountKey | null; account: AccountKey }>;
export type Place = keyof typeof places;
export const placeNames = Object.keys(places) as Place[];

/** The place of the row each persona acts on. */
export const home: Record<Persona, Place> = {
	operator: 'hub',
	team_lead: 'hub',
	csm: 'hub',
	sales: 'dealer',
	site_manager: 'hub',
	director: 'hub',
	driver: 'hub',
	client: 'hub',
	admin: 'hub',
	operator_other_site: 'hub2',
	client_other_account: 'beta',
	admin_other_org: 'otherOrg'
};

interface Reach {
	org: OrgKey;
	/** Sites where the persona works as staff (drivers work nowhere as staff). */
	sites: SiteKey[];
	/** The client account a client user belongs to. */
	account: AccountKey | null;
}

const allSites: SiteKey[] = ['hub', 'hub2', 'dealer'];
export const reach: Record<Persona, Reach> = {
	operator: { org: 'org', sites: ['hub'], account: null },
	team_lead: { org: 'org', sites: ['hub'], account: null },
	csm: { org: 'org', sites: ['hub'], account: null },
	sales: { org: 'org', sites: ['dealer'], account: null },
	site_manager: { org: 'org', sites: ['hub'], account: null },
	director: { org: 'org', sites: allSites, account: null },
	driver: { org: 'org', sites: [], account: null },
	client: { org: 'org', sites: [], account: 'acme' },
	admin: { org: 'org', sites: allSites, account: null },
	operator_other_site: { org: 'org', sites: ['hub2'], account: null },
	client_other_account: { org: 'org', sites: [], account: 'beta' },
	admin_other_org: { org: 'otherOrg', sites: ['otherOrg'], account: null }
};

/**
 * How a table is scoped, which decides what lies outside a persona's reach:
 * - organisation: the organisation's directory (organisations, sites, profiles); in reach
 *   of anyone of the organisation (the cell decides the rest);
 * - account: client accounts and their members; clients reach their own account only;
 * - site: staff data of a site; out of reach at sites where the persona is not staff;
 * - catalogue: like site for staff, but clients read the organisation's whole catalogue;
 * - owned: a site's data that also belongs to a client; in reach of the site's staff and of
 *   the owning client's members only (a driver's own assignment is their home row);
 * - personal: one person's rows; nobody else's are in reach.
 */
export type Kind = 'organisation' | 'account' | 'site' | 'catalogue' | 'owned' | 'personal';

export interface Scope {
	org: OrgKey;
	site: SiteKey;
	account: AccountKey | null;
}

/** True when the row lies outside everything the persona may ever see or touch. */
export function outOfReach(persona: Persona, kind: Exclude<Kind, 'personal'>, row: Scope): boolean {
	const r = reach[persona];
	if (row.org !== r.org) return true;
	const staffThere = r.sites.includes(row.site);
	const theirAccount = row.account !== null && row.account === r.account;
	switch (kind) {
		case 'organisation':
			return false;
		case 'account':
			return r.account !== null && !theirAccount;
		case 'site':
			return !staffThere;
		case 'catalogue':
			return r.account === null && !staffThere;
		case 'owned':
			return !staffThere && !theirAccount;
	}
}
