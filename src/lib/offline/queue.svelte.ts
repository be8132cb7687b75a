import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { SubmitFunction } from '@sveltejs/kit';
import { deserialize } from '$app/forms';
import { invalidateAll } from '$app/navigation';

/**
 * The phone's outbox for form actions on a poor yard connection. An action submitted while
 * offline (or whose request fails on the network) is kept in IndexedDB (files included) with the
 * idempotency key it was given, and sent again in order when the connection is back; the server
 * recognises a key it has already acted on (src/lib/server/offline/receipts.ts), so nothing lands
 * twice. Actions are bound to the person who queued them: another sign-in on the same phone never
 * sends them.
 */
export interface QueuedAction {
	id?: number;
	userId: string;
	/** Path and query of the form action, e.g. `/today?/start`. */
	url: string;
	/** What the operator did, in their words, for the pending list. */
	label: string;
	fields: [string, FormDataEntryValue][];
	queuedAt: number;
}

export interface RefusedAction {
	label: string;
	message: string;
}

interface OutboxSchema extends DBSchema {
	actions: { key: number; value: QueuedAction };
}

let database: Promise<IDBPDatabase<OutboxSchema>> | undefined;
const outbox = () =>
	(database ??= openDB<OutboxSchema>('relais-outbox', 1, {
		upgrade: (db) => void db.createObjectStore('actions', { keyPath: 'id', autoIncrement: true })
	}));

type Sent = 'done' | 'retry' | { refused: string };

async function send(action: QueuedAction): Promise<Sent> {
	const body = new FormData();
	for (const [name, value] of action.fields) body.append(name, value);
	let response: Response;
	try {
		// `manual`: an expired session answers with a redirect to the sign-in page, which must
		// keep the action queued rather than count as done.
		response = await fetch(action.url, { method: 'POST', body, redirect: 'manual', headers: { 'x-sveltekit-action': 'true', accept: 'application/json' } });
	} catch {
		return 'retry';
	}
	if (response.type === 'opaqueredirect' || response.status >= 500) return 'retry';
	let result;
	try {
		result = deserialize(await response.text());
	} catch {
		return 'retry';
	}
	switch (result.type) {
		case 'success':
		case 'redirect':
			return 'done';
		case 'failure': {
			const errors = (result.data as { errors?: Record<string, string[]> } | undefined)?.errors;
			return { refused: Object.values(errors ?? {}).flat()[0] ?? String(result.status) };
		}
		default:
			return 'retry';
	}
}

class Outbox {
	/** This person's actions still to send, oldest first. */
	pending = $state<QueuedAction[]>([]);
	online = $state(true);
	sending = $state(false);
	/** Actions the server refused on replay (e.g. someone else finished the task meanwhile). */
	refused = $state<RefusedAction[]>([]);
	#userId = '';
	#started = false;

	async start(userId: string): Promise<void> {
		this.#userId = userId;
		this.online = navigator.onLine;
		if (!this.#started) {
			this.#started = true;
			addEventListener('online', () => {
				this.online = true;
				void this.flush();
			});
			addEventListener('offline', () => (this.online = false));
		}
		await this.#reload();
		if (this.online) await this.flush();
	}

	async enqueue(url: string, form: FormData, label: string): Promise<void> {
		await (await outbox()).add('actions', { userId: this.#userId, url, label, fields: [...form.entries()], queuedAt: Date.now() });
		await this.#reload();
	}

	/** Sends the queue in order; stops at the first action that cannot get through yet. */
	async flush(): Promise<void> {
		if (this.sending || !this.#userId) return;
		this.sending = true;
		let sent = 0;
		try {
			for (const action of await this.#mine()) {
				const outcome = await send(action);
				if (outcome === 'retry') break;
				await (await outbox()).delete('actions', action.id!);
				sent += 1;
				if (outcome !== 'done') this.refused.push({ label: action.label, message: outcome.refused });
				await this.#reload();
			}
		} finally {
			this.sending = false;
			await this.#reload();
		}
		if (sent > 0) await invalidateAll();
	}

	dismissRefused(): void {
		this.refused = [];
	}

	async #mine(): Promise<QueuedAction[]> {
		const all = await (await outbox()).getAll('actions');
		return all.filter((a) => a.userId === this.#userId);
	}

	async #reload(): Promise<void> {
		this.pending = await this.#mine();
	}
}

export const offline = new Outbox();

/** What `use:enhance` hands over once the server has answered. */
type Answer = Parameters<Exclude<Awaited<ReturnType<SubmitFunction>>, void>>[0];

/**
 * `use:enhance` for actions a phone may have to queue. Each submission gets an idempotency key
 * (the `idempotencyKey` field the action passes to `once()` or its database function); offline,
 * or when the request dies on the network, the submission goes to the outbox instead of failing
 * and `queued` is told. `answered` replaces the default update once the server has answered.
 */
export function queueable(label: string, on: { answered?: (answer: Answer) => Promise<void>; queued?: () => void } = {}): SubmitFunction {
	return ({ formData, action, cancel }) => {
		formData.set('idempotencyKey', crypto.randomUUID());
		const url = action.pathname + action.search;
		if (!navigator.onLine) {
			cancel();
			void offline.enqueue(url, formData, label).then(on.queued);
			return;
		}
		return async (answer) => {
			if (answer.result.type === 'error' && answer.result.error instanceof TypeError) {
				await offline.enqueue(url, formData, label);
				on.queued?.();
				return;
			}
			if (on.answered) await on.answered(answer);
			else await answer.update({ reset: false });
		};
	};
}
