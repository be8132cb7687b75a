/** Form control classes shared by the transfer screens (the app's field look). */
export const fieldClass =
	'block w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-base text-slate-900 shadow-xs focus:border-brand-500 focus:ring-2 focus:ring-brand-500/30 focus:outline-none sm:text-sm dark:border-slate-600 dark:bg-slate-900 dark:text-white disabled:opacity-60';
export const labelClass = 'mb-1 block text-xs font-medium text-slate-700 dark:text-slate-300';
