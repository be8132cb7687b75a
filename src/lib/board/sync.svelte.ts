import type { Socket } from 'socket.io-client';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import type { ClientToServerEvents, Response, ServerToClientEvents } from '../realtime/events';
import { fromWire, toWire, type WireMessage } from './wire';
import { boardKey, cardsOf, placements, type BoardRef, type BoardRefusal, type Placement, type PresenceEntry, type RollOverRequest } from './model';

type BoardSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export type BoardStatus = 'connecting' | 'synced' | 'offline' | 'refused';

/** Origins of this screen's transactions: what comes from the server is not sent back to it. */
const REMOTE = 'remote';
const LOCAL = 'local';
const SUGGESTION = 'suggestion';
const RESYNC_MS = 15_000;

/**
 * One planning board (a site's week) in the browser: a Yjs document kept in sync with the
 * server over the live connection's socket, the people on the board, and the moves a lead makes.
 * Moves apply locally at once and travel as Yjs updates; the server may refuse them, in which
 * case the board starts again from the server's copy (`refusal` says why).
 */
export class BoardSync {
	status = $state<BoardStatus>('connecting');
	canEdit = $state(false);
	presence = $state.raw<PresenceEntry[]>([]);
	refusal = $state<BoardRefusal | null>(null);
	/** Whether the last accepted suggestion can still be undone. */
	canUndo = $state(false);
	/** The placements, replaced after each change of the document (read this, not the doc, in views). */
	cards = $state.raw<ReadonlyMap<string, Placement>>(placements(new Y.Doc()));

	readonly key: string;
	#doc!: Y.Doc;
	#undo!: Y.UndoManager;
	#socket: BoardSocket;
	#ref: BoardRef;
	#off: (() => void)[] = [];

	constructor(socket: BoardSocket, ref: BoardRef) {
		this.#socket = socket;
		this.#ref = ref;
		this.key = boardKey(ref);
		this.#fresh();
		const onSync = (key: string, message: WireMessage) => {
			const bytes = key === this.key ? fromWire(message) : null;
			if (bytes) this.#receive(bytes);
		};
		const onPresence = (key: string, entries: PresenceEntry[]) => {
			if (key === this.key) this.presence = entries;
		};
		const onRefused = (key: string, reason: BoardRefusal) => {
			if (key !== this.key) return;
			this.refusal = reason;
			// Whatever this screen did that the server refused is dropped with the document.
			this.#fresh();
			if (reason !== 'forbidden' || this.canEdit) this.#join();
			else this.status = 'refused';
		};
		const onConnect = () => this.#join();
		const onDisconnect = () => {
			this.status = 'offline';
			this.presence = [];
		};
		socket.on('board_sync', onSync);
		socket.on('board_presence', onPresence);
		socket.on('board_refused', onRefused);
		socket.on('connect', onConnect);
		socket.on('disconnect', onDisconnect);
		this.#off.push(
			() => socket.off('board_sync', onSync),
			() => socket.off('board_presence', onPresence),
			() => socket.off('board_refused', onRefused),
			() => socket.off('connect', onConnect),
			() => socket.off('disconnect', onDisconnect)
		);
		if (socket.connected) this.#join();
		// Another node may have sent a move just before this screen joined its board, and written
		// it just after this screen read the board: asking again now and then closes that gap.
		const resync = setInterval(() => {
			if (this.status === 'synced') this.#send((e) => syncProtocol.writeSyncStep1(e, this.#doc));
		}, RESYNC_MS);
		this.#off.push(() => clearInterval(resync));
	}

	/** Puts a card on the board (or back in the backlog with null). */
	move(taskId: string, placement: Placement | null): void {
		if (!this.canEdit) return;
		const cards = cardsOf(this.#doc);
		this.#doc.transact(() => (placement ? cards.set(taskId, placement) : cards.delete(taskId)), LOCAL);
	}

	/** Applies a suggested plan as one change the lead can undo. */
	applySuggestion(placements: ReadonlyMap<string, Placement>): void {
		if (!this.canEdit || placements.size === 0) return;
		const cards = cardsOf(this.#doc);
		this.#undo.clear();
		this.#doc.transact(() => placements.forEach((p, id) => cards.set(id, p)), SUGGESTION);
		this.canUndo = true;
	}

	/** Takes the last accepted suggestion back (cards others moved since stay where they are). */
	undoSuggestion(): void {
		this.#undo.undo();
		this.canUndo = this.#undo.canUndo();
	}

	/** Tells the others which card this screen holds (null: none). */
	hold(taskId: string | null): void {
		if (!this.canEdit || this.status !== 'synced') return;
		this.#socket.emit('board_hold', { ...this.#ref, taskId }, () => {});
	}

	closeDay(request: Omit<RollOverRequest, 'siteId'>): Promise<Response<{ moved: number }>> {
		return new Promise((resolve) => this.#socket.emit('board_roll_over', { siteId: this.#ref.siteId, ...request }, resolve));
	}

	destroy(): void {
		this.#off.forEach((off) => off());
		if (this.#socket.connected) this.#socket.emit('board_leave', this.#ref, () => {});
		this.#doc.destroy();
	}

	#fresh(): void {
		this.#doc?.destroy();
		const doc = new Y.Doc();
		this.#doc = doc;
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- read by Yjs, never rendered
		this.#undo = new Y.UndoManager(cardsOf(doc), { trackedOrigins: new Set([SUGGESTION]), captureTimeout: 0 });
		this.canUndo = false;
		this.cards = placements(doc);
		doc.on('update', (update: Uint8Array, origin: unknown) => {
			this.cards = placements(doc);
			if (origin !== REMOTE && this.#socket.connected) this.#send((e) => syncProtocol.writeUpdate(e, update));
		});
	}

	#join(): void {
		this.status = 'connecting';
		this.#socket.emit('board_join', this.#ref, (response) => {
			if ('error' in response) {
				this.status = 'refused';
				this.refusal = response.error === 'forbidden' ? 'forbidden' : 'unavailable';
				return;
			}
			this.canEdit = response.data.canEdit;
			// What this screen has that the server lacks (changes made while offline) comes back
			// in answer to the server's step 1; the server's state comes with its step 2.
			this.#send((e) => syncProtocol.writeSyncStep1(e, this.#doc));
		});
	}

	#receive(message: Uint8Array): void {
		const decoder = decoding.createDecoder(message);
		const reply = encoding.createEncoder();
		const type = syncProtocol.readSyncMessage(decoder, reply, this.#doc, REMOTE);
		if (encoding.length(reply) > 0) this.#socket.emit('board_sync', this.key, toWire(encoding.toUint8Array(reply)));
		if (type === syncProtocol.messageYjsSyncStep2) {
			this.status = 'synced';
			this.refusal = null;
		}
	}

	#send(write: (encoder: encoding.Encoder) => void): void {
		const encoder = encoding.createEncoder();
		write(encoder);
		this.#socket.emit('board_sync', this.key, toWire(encoding.toUint8Array(encoder)));
	}
}
