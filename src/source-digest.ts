import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';

/**
 * A short digest (12 hex digits) of the `.ts`/`.js` files of one source folder
 * plus `extra` strings (dependency versions): it changes whenever that code
 * changes, so a snapshot made by other code is detected and rebuilt.
 * `'unreadable'` goes into the digest if the folder cannot be read.
 */
export function digestSources(folder: URL, extra: readonly string[] = []): string {
  const hash = createHash('sha256');
  try {
    for (const name of readdirSync(folder).sort()) {
      if (name.endsWith('.ts') || name.endsWith('.js')) hash.update(name).update(readFileSync(new URL(name, folder)));
    }
  } catch {
    hash.update('unreadable');
  }
  for (const value of extra) hash.update(value);
  return hash.digest('hex').slice(0, 12);
}
