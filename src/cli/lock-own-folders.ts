import { lockFolders, type OwnerLock } from './owner-lock.js';
import type { CliSettings } from './parse-args.js';

/**
 * Takes the lock of the folders this process writes: the index cache, and the
 * journal where writes are on (an admin key, or an article store's mirror).
 * Throws `folder_locked` naming the owner when another process holds one.
 */
export function lockOwnFolders(
  settings: Pick<CliSettings, 'cacheDir' | 'journalDir' | 'adminKey' | 'databaseUrl'>,
  command: string,
): OwnerLock {
  const writesJournal = settings.adminKey !== null || settings.databaseUrl !== null;
  return lockFolders(
    [
      { dir: settings.cacheDir, what: 'the index cache' },
      ...(writesJournal ? [{ dir: settings.journalDir, what: 'the journal folder' }] : []),
    ],
    command,
  );
}
