import { z } from 'zod';

/**
 * Server configuration, validated once. Nothing here is imported through `$env` because the
 * realtime server is bundled separately for production (see server.js) and runs outside Kit.
 */
const schema = z.object({
	NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
	DATABASE_URL: z.string().url().optional(),
	DATA_DIR: z.string().default('.data'),
	EMBEDDED_PG_PORT: z.coerce.number().int().min(1024).max(65535).default(54329),
	SUPABASE_URL: z.string().url().optional(),
	SUPABASE_ANON_KEY: z.string().min(1).optional(),
	SUPABASE_JWT_SECRET: z.string().min(32).optional(),
	// Files (ticket attachments) go to Supabase Storage when this key is set with SUPABASE_URL.
	SUPABASE_SERVICE_ROLE_KEY: z.string().min(1).optional(),
	STORAGE_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9._-]{1,62}$/).default('relais'),
	// Local auth signs its JWTs with this; in development a fixed value is acceptable.
	JWT_SECRET: z.string().min(32).default('relais-local-development-secret-change-me-in-prod'),
	SESSION_HOURS: z.coerce.number().positive().default(12),
	ORIGIN: z.string().url().optional(),
	// Extra origins allowed to open a socket (comma separated).
	ALLOWED_ORIGINS: z.string().default(''),
	REALTIME_ADAPTER: z.enum(['none', 'postgres', 'redis']).default('none'),
	REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
	SEED_DEMO: z.enum(['auto', 'never']).default('auto'),
	// How long the change log keeps changes for screens catching up after a disconnection.
	CHANGE_LOG_RETENTION_HOURS: z.coerce.number().positive().default(168),
	// Notifications. Without SMTP_URL, development and tests catch mail with a local SMTP server
	// (files under DATA_DIR/mail); production then sends no email at all.
	SMTP_URL: z.string().regex(/^smtps?:\/\//).optional(),
	MAIL_FROM: z.string().min(3).default('Relais <notifications@relais.local>'),
	DEV_SMTP_PORT: z.coerce.number().int().min(0).max(65535).default(0),
	// Web push is off unless all three are set (`npx web-push generate-vapid-keys`).
	VAPID_PUBLIC_KEY: z.string().min(20).optional(),
	VAPID_PRIVATE_KEY: z.string().min(20).optional(),
	VAPID_SUBJECT: z.string().regex(/^(mailto:|https:\/\/)/).optional(),
	// A generic HTTP SMS gateway (see src/lib/server/notify/sms.ts); off unless the URL is set.
	SMS_PROVIDER_URL: z.string().url().optional(),
	SMS_PROVIDER_KEY: z.string().min(1).optional(),
	SMS_SENDER: z.string().regex(/^[A-Za-z0-9 ]{1,11}$/).default('Relais'),
	// `off` on nodes that should not send (several nodes may run it: claims skip locked rows).
	NOTIFY_WORKER: z.enum(['on', 'off']).default('on'),
	// Accounting export of issued invoices (Axonaut); off unless the key is set.
	AXONAUT_API_KEY: z.string().min(1).optional(),
	AXONAUT_URL: z.string().url().optional()
});

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;

export function env(): Env {
	if (cached) return cached;
	const parsed = schema.safeParse(process.env);
	if (!parsed.success) {
		const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
		throw new Error(`Invalid environment:\n${lines.join('\n')}`);
	}
	if (parsed.data.NODE_ENV === 'production' && !process.env.JWT_SECRET && !parsed.data.SUPABASE_URL) {
		throw new Error('JWT_SECRET must be set in production when Supabase Auth is not configured');
	}
	cached = parsed.data;
	return cached;
}

/** Supabase mode: auth through Supabase Auth and no local bootstrap of the auth schema. */
export function usesSupabase(): boolean {
	return Boolean(env().SUPABASE_URL);
}
