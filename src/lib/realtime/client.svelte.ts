import { browser } from '$app/environment';
import { invalidate, invalidateAll } from '$app/navigation';
import { navigating } from '$app/state';
import { io, type Socket } from 'socket.io-client';
import type { Change, ClientToServerEvents, Response, ServerToClientEvents } from './events';

export type LiveStatus = 'connecting' | 'live' | 'offline' | 'unauthorised';

type Listener = { tables: ReadonlySet<string>; callback: (change: Change) => void };

// Per tab: a reload resumes where the tab was, another tab starts from its own page load.
const CURSOR_KEY = 'relais.live.cursor';
// Changes to one table within this window refresh the pages depending on it once.
const COALESCE_MS = 100;
// A change can arrive twice (replayed by catch_up and fanned out live); ids seen lately are skipped.
const RECENT_IDS = 500;
// After the server closed the socket (token expired) or was unavailable, try again later: the
// cookie may have been renewed meanwhile.
const RETRY_AFTER_SERVER_CLOSE_MS = 5_000;

/**
 * The browser's one live connection. Each change invalidates `live:<table>`, so every page
 * whose `load` calls `depends('live:vehicles')` re-runs its own queries (under RLS: the socket
 * itself carries no row data). After every (re)connection it asks for what it missed since the
 * last change it saw.
 */
class LiveConnection {
	// 'connecting' from the start: the app layout connects on mount, and SSR should not show "offline".
	status = $state<LiveStatus>('connecting');

	// Reactive, so a screen that rides this connection (the planning board) starts once it exists.
	#socket = $state.raw<Socket<ServerToClientEvents, ClientToServerEvents> | undefined>(undefined);
	#listeners = new Set<Listener>();
	#pending = new Map<string, ReturnType<typeof setTimeout>>();
	#recent = new Set<number>();

	/**
	 * Opens the connection once (call from the app layout); later calls do nothing.
	 * `renderedAt` is the change id the page was rendered at: a new tab catches up from there,
	 * so a change committed between the render and the connection still reaches it.
	 */
	connect(renderedAt?: number): void {
		if (!browser || this.#socket) return;
		if (this.#cursor() === null && renderedAt) this.#advance(renderedAt);
		this.status = 'connecting';
		const socket = io({ withCredentials: true, transports: ['websocket', 'polling'], tryAllTransports: true });
		socket.on('connect', () => {
			this.status = 'connecting';
			socket.emit('catch_up', { since: this.#cursor() }, (response: Response<{ replayed: number }>) => {
				if (!('error' in response)) return; // caught_up follows
				// What was missed is unknown: reload everything; what comes next arrives live.
				void invalidateAll();
				this.status = 'live';
			});
		});
		socket.on('change', (change) => this.#receive(change));
		socket.on('caught_up', ({ lastId, reset }) => {
			this.#advance(lastId);
			if (reset) void invalidateAll();
			this.status = 'live';
		});
		socket.on('disconnect', (reason) => {
			// socket.io reconnects by itself after network failures, not after the server hung up.
			this.status = socket.active ? 'connecting' : 'offline';
			if (reason === 'io server disconnect') this.#retryLater(socket);
		});
		socket.on('connect_error', (err) => {
			// Refusals by the server (as opposed to network errors) are not retried by socket.io.
			if (socket.active) this.status = 'offline';
			else if (err.message === 'unauthorised' || err.message === 'origin_not_allowed') this.status = 'unauthorised';
			else this.#retryLater(socket);
		});
		this.#socket = socket;
	}

	/** The connection, for screens that exchange their own messages over it. */
	get socket(): Socket<ServerToClientEvents, ClientToServerEvents> | undefined {
		return this.#socket;
	}

	/** Closes the connection (sign-out); `connect()` opens a new one. */
	disconnect(): void {
		this.#socket?.disconnect();
		this.#socket = undefined;
		this.status = 'offline';
	}

	/** Calls `callback` for every change to one of `tables`; returns the unsubscribe function. */
	onChange(tables: string[], callback: (change: Change) => void): () => void {
		const listener = { tables: new Set(tables), callback };
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	#retryLater(socket: Socket<ServerToClientEvents, ClientToServerEvents>): void {
		setTimeout(() => {
			// Unless the app closed this connection meanwhile.
			if (this.#socket === socket) socket.connect();
		}, RETRY_AFTER_SERVER_CLOSE_MS);
	}

	#receive(change: Change): void {
		if (this.#recent.has(change.id)) return;
		this.#recent.add(change.id);
		if (this.#recent.size > RECENT_IDS) this.#recent.delete(this.#recent.values().next().value!);
		this.#advance(change.id);
		for (const listener of this.#listeners) if (listener.tables.has(change.table)) listener.callback(change);
		if (!this.#pending.has(change.table)) this.#refreshSoon(change.table);
	}

	/**
	 * Refreshes the pages that depend on `table` once changes stop coming in. Not while a
	 * navigation is under way: invalidating then would reload the page being left and cancel the
	 * move (a form that saves and redirects causes exactly that); the refresh waits for it.
	 */
	#refreshSoon(table: string): void {
		this.#pending.set(
			table,
			setTimeout(() => {
				if (navigating.to) return this.#refreshSoon(table);
				this.#pending.delete(table);
				void invalidate(`live:${table}`);
			}, COALESCE_MS)
		);
	}

	#cursor(): number | null {
		const stored = Number(sessionStorage.getItem(CURSOR_KEY));
		return Number.isSafeInteger(stored) && stored > 0 ? stored : null;
	}

	#advance(id: number): void {
		if (id > (this.#cursor() ?? 0)) sessionStorage.setItem(CURSOR_KEY, String(id));
	}
}

export const live = new LiveConnection();

/** For components: runs `callback` on changes to `tables`; returns the unsubscribe function. */
export const onChange = (tables: string[], callback: (change: Change) => void) => live.onChange(tables, callback);
