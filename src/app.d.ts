import type { JwtClaims, Sql } from '$lib/server/db/pool';
import type { SessionUser } from '$lib/server/auth/session-user';
import type { DndEvent } from 'svelte-dnd-action';

declare global {
	namespace App {
		interface Locals {
			/** Verified JWT claims of the signed-in person, or null. */
			claims: JwtClaims | null;
			/** Who is signed in (profile, roles per site, client accounts), or null. */
			user: SessionUser | null;
			/** Runs queries as the signed-in person, in one transaction, under row-level security. */
			db: <T>(fn: (sql: Sql) => Promise<T>) => Promise<T>;
		}
		interface Error {
			message: string;
			code?: string;
		}
	}

	// The events svelte-dnd-action dispatches on its zones (the planning board).
	namespace svelteHTML {
		interface HTMLAttributes<T> {
			onconsider?: (event: CustomEvent<DndEvent<{ id: string }>> & { target: EventTarget & T }) => void;
			onfinalize?: (event: CustomEvent<DndEvent<{ id: string }>> & { target: EventTarget & T }) => void;
		}
	}
}

export {};
