import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { env } from '../env';

/**
 * Where file bytes live. Keys are opaque paths chosen by the server (never a user's file name);
 * who may read a file is decided by the database row that names its key, checked before `get`.
 */
export interface Storage {
	put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
	/** The bytes, or null when nothing is stored under `key`. */
	get(key: string): Promise<Uint8Array | null>;
	delete(key: string): Promise<void>;
}

const KEY = /^[a-z0-9][a-z0-9/_.-]{0,299}$/i;

function checkKey(key: string): string {
	if (!KEY.test(key) || key.split('/').some((part) => part === '..' || part === '.' || part === '')) throw new Error(`invalid storage key: ${key}`);
	return key;
}

/** Files on local disk, under `root`; the default outside Supabase. */
export function diskStorage(root: string): Storage {
	const base = resolve(root);
	const path = (key: string) => {
		const full = resolve(join(base, checkKey(key)));
		// checkKey already refuses '..'; this is the belt to its braces.
		if (!full.startsWith(base + sep)) throw new Error(`storage key escapes the root: ${key}`);
		return full;
	};
	return {
		async put(key, bytes) {
			const file = path(key);
			await mkdir(dirname(file), { recursive: true });
			await writeFile(file, bytes);
		},
		async get(key) {
			try {
				return new Uint8Array(await readFile(path(key)));
			} catch (err) {
				if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
				throw err;
			}
		},
		async delete(key) {
			await rm(path(key), { force: true });
		}
	};
}

/** Supabase Storage through its REST API with the service key (the server authorises reads itself). */
export function supabaseStorage(url: string, serviceKey: string, bucket: string, fetcher: typeof fetch = fetch): Storage {
	const object = (key: string) => `${url.replace(/\/$/, '')}/storage/v1/object/${bucket}/${checkKey(key)}`;
	const headers = { authorization: `Bearer ${serviceKey}`, apikey: serviceKey };
	return {
		async put(key, bytes, contentType) {
			const res = await fetcher(object(key), {
				method: 'POST',
				headers: { ...headers, 'content-type': contentType, 'x-upsert': 'true' },
				body: bytes as unknown as BodyInit
			});
			if (!res.ok) throw new Error(`storage put ${key} failed: ${res.status}`);
		},
		async get(key) {
			const res = await fetcher(object(key), { headers });
			// Supabase answers 400 with statusCode 404 in the body for a missing object.
			if (res.status === 404 || res.status === 400) return null;
			if (!res.ok) throw new Error(`storage get ${key} failed: ${res.status}`);
			return new Uint8Array(await res.arrayBuffer());
		},
		async delete(key) {
			const res = await fetcher(object(key), { method: 'DELETE', headers });
			if (!res.ok && res.status !== 404 && res.status !== 400) throw new Error(`storage delete ${key} failed: ${res.status}`);
		}
	};
}

let configured: Storage | undefined;

/** The storage the configuration names: Supabase when its URL and service key are set, else disk. */
export function storage(): Storage {
	if (configured) return configured;
	const config = env();
	configured =
		config.SUPABASE_URL && config.SUPABASE_SERVICE_ROLE_KEY
			? supabaseStorage(config.SUPABASE_URL, config.SUPABASE_SERVICE_ROLE_KEY, config.STORAGE_BUCKET)
			: diskStorage(join(config.DATA_DIR, 'files'));
	return configured;
}
