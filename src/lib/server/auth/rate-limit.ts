import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { createClient } from 'redis';
import { env } from '../env';

/**
 * Sign-in attempts: 5 per email+address per 15 minutes, 30 failed ones per address. Shared through Redis
 * when nodes run behind a load balancer (REALTIME_ADAPTER=redis), in memory otherwise.
 */
function limiter(points: number, keyPrefix: string): RateLimiterAbstract {
	const options = { points, duration: 15 * 60, keyPrefix };
	if (env().REALTIME_ADAPTER !== 'redis') return new RateLimiterMemory(options);
	const client = createClient({ url: env().REDIS_URL, disableOfflineQueue: true });
	client.connect().catch((e: Error) => console.error('[auth] rate limiter redis:', e.message));
	return new RateLimiterRedis({ ...options, storeClient: client, useRedisPackage: true, insuranceLimiter: new RateLimiterMemory(options) });
}

let perAccount: RateLimiterAbstract | undefined;
let perAddress: RateLimiterAbstract | undefined;

/** Consumes one attempt; returns seconds to wait when over the limit, else 0. */
export async function consumeSignInAttempt(address: string, email: string): Promise<number> {
	perAccount ??= limiter(5, 'signin-account');
	perAddress ??= limiter(30, 'signin-address');
	try {
		await Promise.all([perAccount.consume(`${address}|${email.toLowerCase()}`), perAddress.consume(address)]);
		return 0;
	} catch (rejection) {
		if (rejection instanceof Error) throw rejection;
		return Math.ceil(((rejection as { msBeforeNext: number }).msBeforeNext ?? 60_000) / 1000);
	}
}

/**
 * A successful sign-in clears that account's counter and gives its point back to the address:
 * a yard's phones share one public address, and forty people starting their shift must not lock
 * each other out. Only failures add up against an address.
 */
export async function forgetSignInAttempts(address: string, email: string): Promise<void> {
	await Promise.all([perAccount?.delete(`${address}|${email.toLowerCase()}`), perAddress?.reward(address, 1)]);
}
