import { m } from '$lib/paraglide/messages';

export type SubjectKind = 'task' | 'order' | 'vehicle' | 'transfer' | 'invoice_line';

/** What kind of object a thread is about, in words. */
export const subjectKindLabel = (kind: SubjectKind): string =>
	({
		task: m.thread_subject_task,
		order: m.thread_subject_order,
		vehicle: m.thread_subject_vehicle,
		transfer: m.thread_subject_transfer,
		invoice_line: m.thread_subject_invoice_line
	})[kind]();
