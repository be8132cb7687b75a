import { generateKeyBetween, generateNKeysBetween } from 'fractional-indexing';
import { z } from 'zod';
import { leadStages, type LeadStage } from '$lib/components/crm/labels';
import type { Sql } from '$lib/server/db/pool';
import { validate, type FieldErrors } from '$lib/validation';

/**
 * The sales pipeline, read and written as the signed-in person (sql from `locals.db`): row-level
 * security decides which leads they see and may move (their CRM sites'); nothing here checks a
 * role. A move sets the stage and the place in the column (`leads.position`, a fractional index
 * compared as bytes, like the planning board's ranks).
 */

export type Locale = 'fr' | 'en';

/** Stages whose leads are still open sales: their value is the pipeline value. */
export const openStages: readonly LeadStage[] = ['new', 'contacted', 'test_drive', 'quote', 'order'];

/** Closed columns show the leads closed in the last days only (a year of deliveries is noise). */
const CLOSED_DAYS = 90;

/** An expected refusal, with the HTTP status a route answers and errors per field. */
export class CrmError extends Error {
	constructor(
		readonly status: 400 | 403 | 404 | 409,
		readonly errors: FieldErrors = {}
	) {
		super(Object.values(errors).flat().join(' ') || `crm error ${status}`);
	}
}

const texts = {
	lostReason: (l: Locale) => (l === 'fr' ? 'Indiquez pourquoi la vente est perdue.' : 'Say why the sale was lost.'),
	notFound: (l: Locale) => (l === 'fr' ? 'Piste introuvable.' : 'Lead not found.'),
	forbidden: (l: Locale) => (l === 'fr' ? 'Vous ne pouvez pas déplacer cette piste.' : 'You may not move this lead.')
};

export interface PipelineCard {
	id: string;
	stage: LeadStage;
	position: string;
	siteId: string;
	siteCode: string;
	customerId: string;
	customer: string;
	vehicle: string | null;
	valueCents: number;
	assignee: string | null;
	daysInStage: number;
	lostReason: string | null;
}

export interface Pipeline {
	cards: PipelineCard[];
	/** Sum of value_cents over the open stages of the sites read (every open lead, not only the cards shown). */
	openValueCents: number;
}

/** The leads of `siteIds` (all the person reads when null) in column order. */
export async function readPipeline(sql: Sql, siteIds: string[]): Promise<Pipeline> {
	const { rows: cards } = await sql.query<PipelineCard>(
		`select l.id, l.stage, l.position, l.site_id as "siteId", s.code as "siteCode", l.customer_id as "customerId",
		        concat_ws(' ', c.first_name, c.last_name) as customer,
		        case when v.id is not null then v.make || ' ' || v.model || coalesce(' · ' || v.plate, '') end as vehicle,
		        l.value_cents::float8 as "valueCents", p.full_name as assignee,
		        greatest(0, extract(day from now() - l.stage_changed_at))::int as "daysInStage", l.lost_reason as "lostReason"
		 from public.leads l
		 join public.sites s on s.id = l.site_id
		 join public.customers c on c.id = l.customer_id
		 left join public.vehicles v on v.id = l.requested_vehicle_id
		 left join public.profiles p on p.id = l.assigned_to
		 where l.site_id = any ($1::uuid[])
		   and (l.stage not in ('delivered', 'lost') or l.stage_changed_at > now() - make_interval(days => $2))
		 order by l.position collate "C", l.id`,
		[siteIds, CLOSED_DAYS]
	);
	const { rows } = await sql.query<{ value: number }>(
		`select coalesce(sum(value_cents), 0)::float8 as value from public.leads
		 where site_id = any ($1::uuid[]) and stage = any ($2::public.lead_stage[])`,
		[siteIds, openStages]
	);
	return { cards, openValueCents: rows[0].value };
}

const moveSchema = z
	.object({
		leadId: z.guid(),
		stage: z.enum(leadStages),
		/** The neighbours in the target column after the move; none: the end of the column. */
		beforeId: z.guid().optional(),
		afterId: z.guid().optional(),
		lostReason: z.string().trim().max(500).optional()
	})
	.strict();

export type MoveInput = z.input<typeof moveSchema>;

/** A key strictly between two positions; seeded or concurrent keys that are not valid fractional indexes come back null. */
function keyBetween(before: string | null, after: string | null): string | null {
	try {
		if (before !== null && after !== null && before >= after) return generateKeyBetween(before, null);
		return generateKeyBetween(before, after);
	} catch {
		return null;
	}
}

/**
 * Moves a lead to a stage and a place in its column. Leaving for `lost` needs a reason; leaving
 * `lost` forgets it. When the neighbours' positions cannot be split (keys typed by hand or by
 * an import), the column is renumbered in its current order first, in the same transaction.
 */
export async function moveLead(sql: Sql, input: unknown, locale: Locale): Promise<void> {
	const parsed = validate(moveSchema, input, locale);
	if (!parsed.ok) throw new CrmError(400, parsed.errors);
	const v = parsed.data;
	const reason = v.lostReason || null;
	if (v.stage === 'lost' && !reason) throw new CrmError(400, { lostReason: [texts.lostReason(locale)] });

	const { rows: leads } = await sql.query<{ siteId: string | null }>(`select site_id as "siteId" from public.leads where id = $1`, [v.leadId]);
	if (!leads[0]) throw new CrmError(404, { '': [texts.notFound(locale)] });
	const siteId = leads[0].siteId;

	const neighbour = async (id: string | undefined): Promise<string | null> => {
		if (!id || id === v.leadId) return null;
		const { rows } = await sql.query<{ position: string }>(`select position from public.leads where id = $1 and stage = $2`, [id, v.stage]);
		return rows[0]?.position ?? null;
	};
	let before = await neighbour(v.beforeId);
	const after = await neighbour(v.afterId);
	// No neighbour given: the end of the column (of the lead's site).
	if (!v.beforeId && !v.afterId) {
		const { rows } = await sql.query<{ position: string | null }>(
			`select max(position collate "C") as position from public.leads where site_id is not distinct from $1 and stage = $2 and id <> $3`,
			[siteId, v.stage, v.leadId]
		);
		before = rows[0].position;
	}
	let position = keyBetween(before, after);
	if (position === null) position = await renumberAndSplit(sql, siteId, v.stage, v.leadId, v.beforeId ?? null, v.afterId ?? null);

	const { rowCount } = await sql.query(
		`update public.leads set stage = $2::public.lead_stage, position = $3, lost_reason = case when $2::public.lead_stage = 'lost' then $4 end
		 where id = $1`,
		[v.leadId, v.stage, position, reason]
	);
	// Readable but not writable: another site's lead seen by an organisation-wide reader's policy, or RLS.
	if (!rowCount) throw new CrmError(403, { '': [texts.forbidden(locale)] });
}

/** Rewrites the column's positions as valid keys in their current order and returns the key for the moved lead. */
async function renumberAndSplit(sql: Sql, siteId: string | null, stage: LeadStage, leadId: string, beforeId: string | null, afterId: string | null): Promise<string> {
	const { rows } = await sql.query<{ id: string }>(
		`select id from public.leads where site_id is not distinct from $1 and stage = $2 and id <> $3 order by position collate "C", id`,
		[siteId, stage, leadId]
	);
	const keys = generateNKeysBetween(null, null, rows.length);
	await sql.query(
		`update public.leads l set position = k.position
		 from unnest($1::uuid[], $2::text[]) as k (id, position) where l.id = k.id and l.position <> k.position`,
		[rows.map((r) => r.id), keys]
	);
	const index = new Map(rows.map((r, i) => [r.id, keys[i]]));
	const before = beforeId ? (index.get(beforeId) ?? null) : afterId ? null : (keys.at(-1) ?? null);
	const after = afterId ? (index.get(afterId) ?? null) : null;
	return generateKeyBetween(before, after);
}
