import { ensureDatabase } from '../boot';
import { getPool } from './pool';

/** The app's pool, once the database is up (hooks `init` awaits ensureDatabase first). */
export async function appPool() {
	return getPool(await ensureDatabase());
}
