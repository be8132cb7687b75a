import type { z } from 'zod';
import type { ErrorCode, ErrorDetail, Response } from '../../realtime/events';

/** An expected refusal: sent to the client as is, unlike any other error. */
export class Refusal extends Error {
	constructor(readonly code: ErrorCode) {
		super(code);
	}
}

type Ack<T> = (response: Response<T>) => void;

/**
 * Wraps a message handler: validates the payload with `schema`, replies `{ data }` or
 * `{ error, errorDetails }`, and never lets an exception crash the socket or reach the client
 * (unexpected errors are logged and answered with a bare `internal_error`).
 */
export function validated<S extends z.ZodType, T>(
	schema: S,
	fn: (input: z.infer<S>) => Promise<T>,
	log: (line: string) => void
): (payload: unknown, ack?: unknown) => Promise<void> {
	return async (payload, ack) => {
		// A client that sends no callback still gets the work done, just no answer.
		const reply: Ack<T> = typeof ack === 'function' ? (ack as Ack<T>) : () => {};
		const parsed = schema.safeParse(payload);
		if (!parsed.success) {
			const errorDetails: ErrorDetail[] = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
			return reply({ error: 'invalid_payload', errorDetails });
		}
		try {
			reply({ data: await fn(parsed.data) });
		} catch (err) {
			if (err instanceof Refusal) return reply({ error: err.code });
			log(`[realtime] handler failed: ${(err as Error).message}`);
			reply({ error: 'internal_error' });
		}
	};
}
