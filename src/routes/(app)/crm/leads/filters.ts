import { z } from 'zod';
import { leadSources, leadStages } from '$lib/components/crm/labels';

/**
 * The leads list's filters, from the query string. A value that does not parse is dropped
 * rather than refused: notification links and saved addresses outlive what they name.
 */
const flag = z
	.enum(['1'])
	.optional()
	.catch(undefined)
	.transform((v) => v === '1');
const schema = z.object({
	view: z.enum(['mine', 'site', 'all']).optional().catch(undefined),
	// z.guid(), not z.uuid(): the demo data's ids are md5-derived, not RFC 4122 versioned.
	site: z.union([z.guid(), z.literal('unassigned')]).optional().catch(undefined),
	stage: z.enum(leadStages).optional().catch(undefined),
	source: z.enum(leadSources).optional().catch(undefined),
	unanswered: flag,
	escalated: flag,
	lead: z.guid().optional().catch(undefined)
});

export type LeadQuery = z.output<typeof schema>;
const keys = Object.keys(schema.shape) as (keyof LeadQuery)[];

export function parseLeadQuery(params: URLSearchParams): LeadQuery {
	return schema.parse(Object.fromEntries(keys.map((key) => [key, params.get(key) || undefined])));
}

/** The query back as an address, with `changes` applied (undefined or false drops a key). */
export function leadsHref(query: LeadQuery, changes: Partial<Record<keyof LeadQuery, string | boolean | undefined>> = {}): string {
	const merged: Record<string, unknown> = { ...query, ...changes };
	const params = new URLSearchParams();
	for (const key of keys) {
		const value = merged[key];
		if (value === true) params.set(key, '1');
		else if (typeof value === 'string' && value !== '') params.set(key, value);
	}
	const text = params.toString();
	return text ? `/crm/leads?${text}` : '/crm/leads';
}
