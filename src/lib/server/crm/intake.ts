import type pg from 'pg';
import { z } from 'zod';
import { asAnon, asService, type Sql } from '../db/pool';
import { assignLead, type LeadAssignment } from './assign';

/**
 * What comes in through a site's public form: a visitor's contact and request. The form key in
 * the address is the only credential; the page and the submission run as role anon, through
 * the two functions granted to it (public.lead_form_page, public.submit_web_lead), so nothing
 * else of the database is within a visitor's reach. The assignment then runs as the service:
 * the visitor is nobody the rules could act as.
 */

export interface LeadFormPage {
	title: string;
	siteName: string;
	siteCity: string;
}

const formKey = z.string().regex(/^[0-9a-f]{32}$/);

/** The form's title and site, or null for a key that names no enabled form. */
export async function leadFormPage(pool: pg.Pool, key: string): Promise<LeadFormPage | null> {
	if (!formKey.safeParse(key).success) return null;
	const { rows } = await asAnon(pool, (sql) => sql.query(`select title, site_name, site_city from public.lead_form_page($1)`, [key]));
	return rows[0] ? { title: rows[0].title, siteName: rows[0].site_name, siteCity: rows[0].site_city } : null;
}

/** Empty inputs are absent; what remains is trimmed. */
const optionalText = (max: number, message: () => string) =>
	z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v), z.string().max(max, { error: message }).optional());

export interface WebLeadMessages {
	lastNameRequired: () => string;
	tooLong: () => string;
	emailInvalid: () => string;
	phoneInvalid: () => string;
	contactRequired: () => string;
	postcodeInvalid: () => string;
	consentRequired: () => string;
}

/** The visitor's submission; messages come from the page so they speak the visitor's language. */
export function webLeadSchema(msg: WebLeadMessages) {
	return z
		.object({
			firstName: optionalText(100, msg.tooLong),
			lastName: z
				.string({ error: msg.lastNameRequired })
				.trim()
				.min(1, { error: msg.lastNameRequired })
				.max(100, { error: msg.tooLong }),
			email: optionalText(254, msg.tooLong).pipe(z.email({ error: msg.emailInvalid }).optional()),
			// A phone as people type it: digits, spaces, dots, dashes, brackets, a leading +.
			phone: optionalText(40, msg.tooLong).refine((v) => v === undefined || (/^\+?[0-9 .\-()]+$/.test(v) && v.replace(/\D/g, '').length >= 9), {
				error: msg.phoneInvalid
			}),
			postcode: optionalText(5, msg.postcodeInvalid).refine((v) => v === undefined || /^[0-9]{5}$/.test(v), { error: msg.postcodeInvalid }),
			message: optionalText(4000, msg.tooLong),
			vehicle: z.preprocess((v) => (v === '' || v === null ? undefined : v), z.guid().optional().catch(undefined)),
			consent: z.literal('on', { error: msg.consentRequired })
		})
		.superRefine(
			(v, ctx) => {
				if (!v.email && !v.phone) {
					ctx.addIssue({ code: 'custom', path: ['email'], message: msg.contactRequired() });
					ctx.addIssue({ code: 'custom', path: ['phone'], message: msg.contactRequired() });
				}
			},
			// Also when another field is wrong: the visitor hears of every problem at once.
			{ when: () => true }
		);
}

export type WebLeadInput = z.output<ReturnType<typeof webLeadSchema>>;

export type WebLeadResult = { ok: true; leadId: string; assignment: LeadAssignment | null } | { ok: false; error: 'unknown_form' };

/**
 * Writes the visitor's lead (customer found by email or phone however typed, or created) as
 * anon, then assigns it by the organisation's rules. A failed assignment leaves the lead in the
 * unassigned list for a director rather than losing the visitor's request.
 */
export async function submitWebLead(pool: pg.Pool, key: string, input: WebLeadInput): Promise<WebLeadResult> {
	if (!formKey.safeParse(key).success) return { ok: false, error: 'unknown_form' };
	let leadId: string;
	try {
		leadId = await asAnon(pool, async (sql: Sql) => {
			const { rows } = await sql.query(`select public.submit_web_lead($1, $2, $3, $4, $5, $6, $7, $8) as id`, [
				key,
				input.firstName ?? null,
				input.lastName,
				input.email ?? null,
				input.phone ?? null,
				input.postcode ?? null,
				input.message ?? null,
				input.vehicle ?? null
			]);
			return rows[0].id as string;
		});
	} catch (err) {
		if ((err as { code?: string }).code === 'P0002') return { ok: false, error: 'unknown_form' };
		throw err;
	}
	try {
		const assignment = await asService(pool, (sql) => assignLead(sql, leadId));
		return { ok: true, leadId, assignment };
	} catch (err) {
		console.error(`[crm] assigning web lead ${leadId}: ${(err as Error).message}`);
		return { ok: true, leadId, assignment: null };
	}
}
