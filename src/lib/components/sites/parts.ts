import { m } from '$lib/paraglide/messages';
import type { SiteCounts } from '$lib/server/sites/clone';

/** What a clone may copy (public.clone_site), with the words the form explains each one in. */
export type ClonePart = 'catalogue' | 'templates' | 'teams' | 'yard' | 'notifications' | 'lead_rules';

export const partLabels: Record<ClonePart, { title: () => string; help: () => string }> = {
	catalogue: { title: m.site_cl_part_catalogue, help: m.site_cl_part_catalogue_help },
	templates: { title: m.site_cl_part_templates, help: m.site_cl_part_templates_help },
	teams: { title: m.site_cl_part_teams, help: m.site_cl_part_teams_help },
	yard: { title: m.site_cl_part_yard, help: m.site_cl_part_yard_help },
	notifications: { title: m.site_cl_part_notifications, help: m.site_cl_part_notifications_help },
	lead_rules: { title: m.site_cl_part_lead_rules, help: m.site_cl_part_lead_rules_help }
};


/** The counts shown after a clone and on a site's page, in the order of the parts. */
export const countLabels: [keyof SiteCounts, () => string][] = [
	['services', m.site_cl_count_services],
	['prices', m.site_cl_count_prices],
	['templates', m.site_cl_count_templates],
	['teams', m.site_cl_count_teams],
	['zones', m.site_cl_count_zones],
	['bays', m.site_cl_count_bays],
	['settings', m.site_cl_count_settings],
	['leadRules', m.site_cl_count_lead_rules],
	['leadForms', m.site_cl_count_lead_forms]
];
