import { m } from '$lib/paraglide/messages';

/** A quote's statuses (enum public.quote_status); accepted is the order. */
export type QuoteStatus = 'draft' | 'sent' | 'accepted' | 'declined';

const labels: Record<QuoteStatus, () => string> = {
	draft: m.crm_pl_status_draft,
	sent: m.crm_pl_status_sent,
	accepted: m.crm_pl_status_accepted,
	declined: m.crm_pl_status_declined
};

export const quoteStatusLabel = (status: QuoteStatus): string => labels[status]();

export const quoteStatusClasses: Record<QuoteStatus, string> = {
	draft: 'bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-200',
	sent: 'bg-sky-100 text-sky-900 dark:bg-sky-900 dark:text-sky-100',
	accepted: 'bg-emerald-100 text-emerald-900 dark:bg-emerald-900 dark:text-emerald-100',
	declined: 'bg-rose-100 text-rose-900 dark:bg-rose-900 dark:text-rose-100'
};
