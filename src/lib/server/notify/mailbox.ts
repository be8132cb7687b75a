import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface DevSmtp {
	port: number;
	/** `smtp://127.0.0.1:<port>` for nodemailer. */
	url: string;
	close(): Promise<void>;
}

/**
 * A local SMTP server for development and tests: accepts any mail on 127.0.0.1 and writes it,
 * as received, to `<dir>/<time>-<id>.eml`. Written to a temporary name first, so a reader never
 * sees half a mail.
 */
export async function startDevSmtp(options: { dir: string; port?: number }): Promise<DevSmtp> {
	await mkdir(options.dir, { recursive: true });
	const server = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS', 'AUTH'],
		disableReverseLookup: true,
		logger: false,
		onData(stream, _session, callback) {
			const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}`;
			const partial = path.join(options.dir, `.${name}.part`);
			pipeline(stream, createWriteStream(partial))
				.then(() => rename(partial, path.join(options.dir, `${name}.eml`)))
				.then(() => callback(), callback);
		}
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
	});
	const { port } = server.server.address() as AddressInfo;
	return { port, url: `smtp://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export interface ReceivedMail {
	file: string;
	to: string[];
	from: string;
	subject: string;
	text: string;
	html: string;
	date: Date | null;
}

/** The mails the dev SMTP server wrote to `dir`, oldest first (none if the folder does not exist). */
export async function listMail(dir: string): Promise<ReceivedMail[]> {
	const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.eml')).sort();
	const mails: ReceivedMail[] = [];
	for (const file of files) {
		const parsed = await simpleParser(await readFile(path.join(dir, file)));
		const to = [parsed.to ?? []].flat().flatMap((a) => a.value.map((v) => v.address ?? ''));
		mails.push({
			file,
			to,
			from: parsed.from?.text ?? '',
			subject: parsed.subject ?? '',
			text: parsed.text ?? '',
			html: typeof parsed.html === 'string' ? parsed.html : '',
			date: parsed.date ?? null
		});
	}
	return mails;
}
