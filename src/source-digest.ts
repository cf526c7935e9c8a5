import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';

/**
 * The TypeScript sources of a compiled folder: `dist/x/` → `src/x/` when that
 * folder exists beside `dist/`, else the folder itself. The compiled service and
 * `tsx` runs then make the same digest, and share one index cache.
 */
function sourceFolderOf(folder: URL): URL {
  const marker = '/dist/';
  const at = folder.href.lastIndexOf(marker);
  if (at === -1) return folder;
  const source = new URL(`${folder.href.slice(0, at)}/src/${folder.href.slice(at + marker.length)}`);
  return existsSync(source) ? source : folder;
}

/**
 * A short digest (12 hex digits) of the `.ts`/`.js` files of one source folder
 * plus `extra` strings (dependency versions): it changes whenever that code
 * changes, so a snapshot made by other code is detected and rebuilt.
 * `'unreadable'` goes into the digest if the folder cannot be read. For a
 * compiled folder (`dist/…`) the matching `src/…` folder is read when present.
 */
export function digestSources(compiledOrSource: URL, extra: readonly string[] = []): string {
  const folder = sourceFolderOf(compiledOrSource);
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
