/** The leads list's rows and reassignment targets, as the server module shapes them. */
export type { LeadRow as LeadItem, AssignTarget as AssignTargetItem } from '$lib/server/crm/leads';
