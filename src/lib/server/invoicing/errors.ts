import type { FieldErrors } from '$lib/validation';

export type InvoiceErrorCode = 'invalid' | 'not_found' | 'forbidden' | 'frozen' | 'conflict';

/** An expected refusal, with the HTTP status a route answers and, for forms, errors per field. */
export class InvoiceError extends Error {
	constructor(
		readonly status: 400 | 403 | 404 | 409,
		readonly code: InvoiceErrorCode,
		readonly errors: FieldErrors = {}
	) {
		super(code);
	}
}

/**
 * The database enforces billing's invariants (migration 20261203000100); its refusals become
 * InvoiceErrors: 55000 frozen (issued), 23514 a rule, 42501 a role, 23505 a race lost.
 */
export function asInvoiceError(err: unknown): unknown {
	const code = (err as { code?: string }).code;
	const message = (err as Error).message;
	if (code === '55000') return new InvoiceError(409, 'frozen', { '': [message] });
	if (code === '23514') return new InvoiceError(409, 'conflict', { '': [message] });
	if (code === '42501') return new InvoiceError(403, 'forbidden', { '': [message] });
	if (code === '23505') return new InvoiceError(409, 'conflict', { '': [message] });
	return err;
}

/** Runs `fn`, turning the database's refusals into InvoiceErrors. */
export async function refusals<T>(fn: () => Promise<T>): Promise<T> {
	try {
		return await fn();
	} catch (err) {
		throw asInvoiceError(err);
	}
}
