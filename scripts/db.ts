/**
 * npm run db:migrate | db:seed | db:reset — against DATABASE_URL, or the embedded Postgres
 * (started for the duration of the command) when it is not set.
 */
import { ensureDatabase } from '../src/lib/server/boot';
import { usesSupabase } from '../src/lib/server/env';
import { migrate, reset, seed } from '../src/lib/server/db/migrate';

const command = process.argv[2];
if (!['migrate', 'seed', 'reset'].includes(command)) {
	console.error('usage: tsx scripts/db.ts migrate|seed|reset');
	process.exit(2);
}
// Boot applies migrations; seeding is explicit here.
process.env.SEED_DEMO = 'never';

const url = await ensureDatabase();
if (command === 'seed') {
	await seed(url);
	console.log('demo data loaded');
} else if (command === 'reset') {
	if (usesSupabase()) {
		console.error('refusing to reset a Supabase project: use `supabase db reset` there');
		process.exit(1);
	}
	await reset(url);
	await migrate(url, { bootstrap: true });
	await seed(url);
	console.log('database reset, migrated and seeded');
} else {
	console.log('migrations up to date');
}
process.exit(0);
