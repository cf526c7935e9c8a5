import { createRequire } from 'node:module';
import type pg from 'pg';

// Loaded on first use (about 0.1 s of CPU), not with the module: a service without `DATABASE_URL` never needs it.
const requireModule = createRequire(import.meta.url);
let driver: typeof pg | null = null;

/** The PostgreSQL driver (`pg`), loaded the first time a store, mirror or alert table connects. */
export function pgDriver(): typeof pg {
  driver ??= requireModule('pg') as typeof pg;
  return driver;
}
