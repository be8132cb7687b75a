import type { LeadSource, LeadStage } from '../labels';

/** A lead as the list shows it (src/lib/server/crm/leads.ts LeadRow, as serialised to the page). */
export interface LeadItem {
	id: string;
	customerId: string;
	customerName: string;
	email: string | null;
	phone: string | null;
	postcode: string | null;
	source: LeadSource;
	formSiteCode: string | null;
	vehicle: { id: string; label: string; plate: string | null } | null;
	message: string | null;
	createdAt: string;
	assignedAt: string | null;
	firstResponseAt: string | null;
	escalatedAt: string | null;
	stage: LeadStage;
	siteId: string | null;
	siteCode: string | null;
	assigneeId: string | null;
	assigneeName: string | null;
	siteRule: string | null;
	personRule: string | null;
	detail: Record<string, unknown>;
}

export interface AssignTargetItem {
	id: string;
	code: string;
	name: string;
	people: { id: string; name: string; role: 'sales' | 'site_manager' }[];
}
