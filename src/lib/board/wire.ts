// Relative imports only: the realtime server bundles this file outside SvelteKit.
import { fromBase64, toBase64 } from 'lib0/buffer';
import { MAX_SYNC_BYTES } from './model';

/**
 * How a board's y-protocols messages travel on socket.io. socket.io sends a binary argument as
 * an attachment frame after the event's own frame, which doubled the frames of every move: a
 * small message (a move) goes as base64 text in one frame; a large one (a whole week) as binary,
 * where encoding it as text would cost more than the extra frame.
 */
export type WireMessage = string | Uint8Array;

const TEXT_UP_TO = 16 * 1024;

export function toWire(message: Uint8Array): WireMessage {
	return message.byteLength <= TEXT_UP_TO ? toBase64(message) : message;
}

/** The message, or null when what arrived is not a board message of an acceptable size. */
export function fromWire(message: unknown): Uint8Array | null {
	if (message instanceof Uint8Array) return message.byteLength <= MAX_SYNC_BYTES ? message : null;
	if (message instanceof ArrayBuffer) return message.byteLength <= MAX_SYNC_BYTES ? new Uint8Array(message) : null;
	if (typeof message !== 'string' || message.length > Math.ceil(TEXT_UP_TO / 3) * 4) return null;
	try {
		return fromBase64(message);
	} catch {
		return null;
	}
}
