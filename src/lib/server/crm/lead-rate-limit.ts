import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { createClient } from 'redis';
import { env } from '../env';

/**
 * Submissions of the public lead forms: 5 per minute per address, enough for a family sharing a
 * connection, too few for a script filling the CRM. Shared through Redis when nodes run behind a
 * load balancer (REALTIME_ADAPTER=redis), in memory otherwise.
 */
const options = { points: 5, duration: 60, keyPrefix: 'lead-form' };
let limiter: RateLimiterAbstract | undefined;

function create(): RateLimiterAbstract {
	if (env().REALTIME_ADAPTER !== 'redis') return new RateLimiterMemory(options);
	const client = createClient({ url: env().REDIS_URL, disableOfflineQueue: true });
	client.connect().catch((e: Error) => console.error('[crm] lead form rate limiter redis:', e.message));
	return new RateLimiterRedis({ ...options, storeClient: client, useRedisPackage: true, insuranceLimiter: new RateLimiterMemory(options) });
}

/** Consumes one submission; returns seconds to wait when over the limit, else 0. */
export async function consumeLeadFormSubmission(address: string): Promise<number> {
	limiter ??= create();
	try {
		await limiter.consume(address);
		return 0;
	} catch (rejection) {
		if (rejection instanceof Error) throw rejection;
		return Math.ceil(((rejection as { msBeforeNext: number }).msBeforeNext ?? 60_000) / 1000);
	}
}
