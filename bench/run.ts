/**
 * npm run bench -- <name> [flags]: runs one benchmark of this folder. Each prints what it does
 * as it goes and, as its last line, one JSON object with its numbers.
 */
import { main as board } from './board';
import { main as fanout } from './fanout';
import { main as invoicing } from './invoicing';
import { main as kpi } from './kpi';
import { main as leads } from './leads';
import { main as threads } from './threads';
import { main as soak } from './wall-soak';
import { main as stock } from './stock';
import { main as transport } from './transport';
import { main as yard } from './yard';

const benches: Record<string, (args: string[]) => Promise<void>> = { board, fanout, invoicing, kpi, leads, soak, stock, threads, transport, yard };

const [name, ...args] = process.argv.slice(2);
const bench = benches[name ?? ''];
if (!bench) {
	console.error(`usage: npm run bench -- <${Object.keys(benches).join('|')}> [flags]`);
	process.exit(2);
}
await bench(args);
// The embedded Postgres and the pools would keep the process alive; the numbers are printed.
process.exit(0);
