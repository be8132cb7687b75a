import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diskStorage, supabaseStorage } from './index';

describe('diskStorage', () => {
	const store = diskStorage(mkdtempSync(join(tmpdir(), 'relais-storage-')));

	it('puts, gets and deletes by key', async () => {
		await store.put('threads/a/b', new Uint8Array([1, 2, 3]), 'image/png');
		expect(await store.get('threads/a/b')).toEqual(new Uint8Array([1, 2, 3]));
		await store.delete('threads/a/b');
		expect(await store.get('threads/a/b')).toBeNull();
	});

	it('refuses keys that would leave its directory', async () => {
		for (const key of ['../etc/passwd', 'threads/../../x', '/abs', 'a//b', ''])
			await expect(store.put(key, new Uint8Array([1]), 'text/plain')).rejects.toThrow(/invalid storage key/);
	});
});

describe('supabaseStorage', () => {
	it('calls the Storage REST API with the service key, and reads a missing object as null', async () => {
		const calls: { url: string; init?: RequestInit }[] = [];
		const fake = (async (url: string, init?: RequestInit) => {
			calls.push({ url, init });
			return new Response(init?.method ? '{}' : null, { status: init?.method ? 200 : 400 });
		}) as typeof fetch;
		const store = supabaseStorage('https://p.supabase.co/', 'service-key', 'relais', fake);
		await store.put('threads/t/f', new Uint8Array([1]), 'application/pdf');
		expect(await store.get('threads/t/f')).toBeNull();
		expect(calls[0].url).toBe('https://p.supabase.co/storage/v1/object/relais/threads/t/f');
		expect(calls[0].init?.headers).toMatchObject({ authorization: 'Bearer service-key', 'content-type': 'application/pdf' });
	});
});
