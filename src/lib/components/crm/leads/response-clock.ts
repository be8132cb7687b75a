/**
 * A lead's first-response clock, as the list shows it: running from the assignment (or the
 * arrival, while unassigned) until the first answer; late past the organisation's delay. A lead
 * moved on without a recorded answer (a manager closed it) has no clock.
 */
export type ResponseClock =
	| { state: 'waiting' | 'late'; minutes: number }
	| { state: 'answered'; minutes: number }
	| { state: 'none' };

export interface ClockedLead {
	stage: string;
	createdAt: string;
	assignedAt: string | null;
	firstResponseAt: string | null;
}

export function responseClock(lead: ClockedLead, now: number, limitMinutes: number): ResponseClock {
	const from = Date.parse(lead.assignedAt ?? lead.createdAt);
	if (lead.firstResponseAt) return { state: 'answered', minutes: Math.max(0, Math.round((Date.parse(lead.firstResponseAt) - from) / 60_000)) };
	if (lead.stage !== 'new') return { state: 'none' };
	const minutes = Math.max(0, Math.floor((now - from) / 60_000));
	return { state: minutes > limitMinutes ? 'late' : 'waiting', minutes };
}

/** Minutes as the list words them: 45 min, 3 h 05, 2 d (the words come from the page). */
export function durationParts(minutes: number): { unit: 'min'; n: number } | { unit: 'h'; h: number; m: string } | { unit: 'd'; n: number } {
	if (minutes < 60) return { unit: 'min', n: minutes };
	if (minutes < 48 * 60) return { unit: 'h', h: Math.floor(minutes / 60), m: String(minutes % 60).padStart(2, '0') };
	return { unit: 'd', n: Math.floor(minutes / (24 * 60)) };
}
