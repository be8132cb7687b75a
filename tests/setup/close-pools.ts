import { afterAll } from 'vitest';
import { closePools } from '../../src/lib/server/db/pool';

// Pools are shared per URL inside a test file; end them so the worker can exit.
afterAll(() => closePools());
