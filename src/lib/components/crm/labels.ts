import { m } from '$lib/paraglide/messages';

/** Labels of the CRM's enums (supabase/migrations/20261203001300_crm.sql), one place for every screen. */

export const leadStages = ['new', 'contacted', 'test_drive', 'quote', 'order', 'delivered', 'lost'] as const;
export type LeadStage = (typeof leadStages)[number];

export const interactionKinds = ['visit', 'call', 'web_form', 'email', 'test_drive', 'quote', 'purchase'] as const;
export type InteractionKind = (typeof interactionKinds)[number];

export const leadSources = ['web_form', 'manual', 'import'] as const;
export type LeadSource = (typeof leadSources)[number];

/** Rule kinds as stored in lead_rules, plus what a lead's site_rule / person_rule may also say. */
export const ruleNames = ['vehicle_site', 'nearest_site', 'fastest_responder', 'round_robin', 'fallback', 'manual', 'form_site'] as const;
export type RuleName = (typeof ruleNames)[number];

const stageLabels: Record<LeadStage, () => string> = {
	new: m.crm_stage_new,
	contacted: m.crm_stage_contacted,
	test_drive: m.crm_stage_test_drive,
	quote: m.crm_stage_quote,
	order: m.crm_stage_order,
	delivered: m.crm_stage_delivered,
	lost: m.crm_stage_lost
};

const interactionLabels: Record<InteractionKind, () => string> = {
	visit: m.crm_interaction_visit,
	call: m.crm_interaction_call,
	web_form: m.crm_interaction_web_form,
	email: m.crm_interaction_email,
	test_drive: m.crm_interaction_test_drive,
	quote: m.crm_interaction_quote,
	purchase: m.crm_interaction_purchase
};

const sourceLabels: Record<LeadSource, () => string> = {
	web_form: m.crm_source_web_form,
	manual: m.crm_source_manual,
	import: m.crm_source_import
};

const ruleLabels: Record<RuleName, () => string> = {
	vehicle_site: m.crm_rule_vehicle_site,
	nearest_site: m.crm_rule_nearest_site,
	fastest_responder: m.crm_rule_fastest_responder,
	round_robin: m.crm_rule_round_robin,
	fallback: m.crm_rule_fallback,
	manual: m.crm_rule_manual,
	form_site: m.crm_rule_form_site
};

export const stageLabel = (stage: LeadStage) => stageLabels[stage]();
export const interactionLabel = (kind: InteractionKind) => interactionLabels[kind]();
export const sourceLabel = (source: LeadSource) => sourceLabels[source]();
/** A rule's name; an unknown one (a rule kind added later) shows as stored. */
export const ruleLabel = (rule: string) => (rule in ruleLabels ? ruleLabels[rule as RuleName]() : rule);
