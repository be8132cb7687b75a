import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { getPool, type JwtClaims } from '../../src/lib/server/db/pool';
import { issueLocalToken } from '../../src/lib/server/auth/tokens';

/** Every role of the product, plus outsiders who must see nothing of the world's rows. */
export const personas = [
	'operator',
	'team_lead',
	'csm',
	'sales',
	'site_manager',
	'director',
	'driver',
	'client',
	'admin',
	'operator_other_site',
	'client_other_account',
	'admin_other_org'
] as const;
export type Persona = (typeof personas)[number];

export interface Person {
	id: string;
	email: string;
	claims: JwtClaims;
	token: string;
}

export interface World {
	pool: pg.Pool;
	orgId: string;
	otherOrgId: string;
	/** hub: where most personas work; hub2: another site of the same organisation. */
	sites: { hub: string; hub2: string; dealer: string; otherOrg: string };
	clients: { acme: string; beta: string; otherOrg: string };
	people: Record<Persona, Person>;
}

/**
 * Builds an isolated world (its own two organisations, sites, client accounts and one person
 * per role) with the superuser connection, so tests can run in parallel on one database.
 */
export async function createWorld(url: string): Promise<World> {
	const pool = getPool(url);
	const tag = randomUUID().slice(0, 8);
	const orgId = randomUUID();
	const otherOrgId = randomUUID();
	const sites = { hub: randomUUID(), hub2: randomUUID(), dealer: randomUUID(), otherOrg: randomUUID() };
	const clients = { acme: randomUUID(), beta: randomUUID(), otherOrg: randomUUID() };

	const q = (text: string, values: unknown[] = []) => pool.query(text, values);
	await q('insert into public.organisations (id, name) values ($1, $2), ($3, $4)', [
		orgId,
		`Org ${tag}`,
		otherOrgId,
		`Other ${tag}`
	]);
	const site = (id: string, org: string, code: string, kind: string) =>
		q(
			`insert into public.sites (id, organisation_id, code, name, kind, legal_name, siret, vat_number,
			   address_line, postcode, city, latitude, longitude)
			 values ($1, $2, $3, $3, $4, $3 || ' SAS', '12345678900011', 'FR12123456789', '1 rue du Test', '69000', 'Lyon', 45.7, 4.8)`,
			[id, org, code, kind]
		);
	await site(sites.hub, orgId, 'HUB-A', 'hub');
	await site(sites.hub2, orgId, 'HUB-B', 'hub');
	await site(sites.dealer, orgId, 'CON-A', 'dealership');
	await site(sites.otherOrg, otherOrgId, 'HUB-X', 'hub');
	await q(
		`insert into public.client_accounts (id, organisation_id, name) values ($1, $2, 'Acme'), ($3, $2, 'Beta'), ($4, $5, 'Other')`,
		[clients.acme, orgId, clients.beta, clients.otherOrg, otherOrgId]
	);

	const people = {} as Record<Persona, Person>;
	const person = async (persona: Persona, org: string) => {
		const id = randomUUID();
		const email = `${persona}.${tag}@test.relais`;
		await q(`insert into auth.users (id, aud, role, email, encrypted_password) values ($1, 'authenticated', 'authenticated', $2, '')`, [
			id,
			email
		]);
		await q('insert into public.profiles (id, organisation_id, full_name, email) values ($1, $2, $3, $4)', [id, org, persona, email]);
		const { token } = await issueLocalToken({ id, email });
		people[persona] = { id, email, token, claims: { sub: id, role: 'authenticated', email } };
		return id;
	};
	const member = async (persona: Persona, role: string, site: string | null, org = orgId) => {
		const id = await person(persona, org);
		await q('insert into public.memberships (organisation_id, user_id, site_id, role) values ($1, $2, $3, $4)', [org, id, site, role]);
	};
	for (const role of ['operator', 'team_lead', 'csm', 'site_manager', 'driver'] as const) await member(role, role, sites.hub);
	await member('sales', 'sales', sites.dealer);
	await member('director', 'director', null);
	await member('admin', 'admin', null);
	await member('operator_other_site', 'operator', sites.hub2);
	await member('admin_other_org', 'admin', null, otherOrgId);
	const client = async (persona: Persona, account: string, org: string) => {
		const id = await person(persona, org);
		await q('insert into public.client_members (client_account_id, user_id) values ($1, $2)', [account, id]);
	};
	await client('client', clients.acme, orgId);
	await client('client_other_account', clients.beta, orgId);

	return { pool, orgId, otherOrgId, sites, clients, people };
}

let vinCounter = 0;
/** A syntactically valid, unique VIN (no I, O or Q). */
export function testVin(): string {
	vinCounter += 1;
	const body = `${process.pid}${Date.now()}${vinCounter}`.replace(/\D/g, '').slice(-14).padStart(14, '0');
	return `VF1${body}`;
}
