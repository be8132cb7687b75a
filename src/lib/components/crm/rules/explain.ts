import { m } from '$lib/paraglide/messages';
import type { RuleKind } from '$lib/domain/crm/assignment';

/** Each rule in plain words, as src/lib/domain/crm/assignment.ts applies it. */
const explanations: Record<RuleKind, () => string> = {
	vehicle_site: m.crm_as_explain_vehicle_site,
	nearest_site: m.crm_as_explain_nearest_site,
	fastest_responder: m.crm_as_explain_fastest_responder,
	round_robin: m.crm_as_explain_round_robin,
	fallback: m.crm_as_explain_fallback
};

/** What a rule decides: the site, the sales person, or (fallback) whatever is still open. */
const scopes: Record<RuleKind, () => string> = {
	vehicle_site: m.crm_as_scope_site,
	nearest_site: m.crm_as_scope_site,
	fastest_responder: m.crm_as_scope_person,
	round_robin: m.crm_as_scope_person,
	fallback: m.crm_as_scope_both
};

export const explainRule = (kind: RuleKind) => explanations[kind]();
export const ruleScope = (kind: RuleKind) => scopes[kind]();
