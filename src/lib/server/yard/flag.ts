import { flagSchema } from '$lib/domain/yard/gate';
import type { Sql } from '$lib/server/db/pool';
import { validate } from '$lib/validation';
import { asYardError, YardError, yardTexts, type Locale } from './errors';

/**
 * Flags a problem on a task (or clears it with a null reason), as the person: the site's staff
 * who may update tasks, operators included. Who and when are stamped by the database; the
 * change is on the audit trail with the task's.
 */
export async function flagTask(sql: Sql, input: { taskId: string; reason: string | null }, locale: Locale): Promise<void> {
	const parsed = validate(flagSchema, input, locale);
	if (!parsed.ok) throw new YardError(400, 'invalid', parsed.errors);
	const { taskId, reason } = parsed.data;
	try {
		const { rowCount } = await sql.query(`update public.tasks set flag_reason = $2 where id = $1`, [taskId, reason]);
		if (rowCount) return;
	} catch (err) {
		throw asYardError(err, locale);
	}
	const { rows } = await sql.query(`select 1 from public.tasks where id = $1`, [taskId]);
	throw rows[0]
		? new YardError(403, 'forbidden', { '': [yardTexts.forbidden(locale)] })
		: new YardError(404, 'not_found', { taskId: [yardTexts.taskNotFound(locale)] });
}
