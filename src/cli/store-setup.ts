import { existsSync, mkdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import { Journal, JOURNAL_FILE } from '../live/journal.js';
import { VersionHistory, VERSIONS_FILE } from '../live/version-history.js';
import { PgStore } from '../store/pg-store.js';
import { StoreMirror } from '../store/store-mirror.js';
import type { CliSettings } from './parse-args.js';

/** A node's link to the article store: the store, its mirror journal, and what fills it. */
export interface StoreNode {
  store: PgStore;
  journal: Journal;
  mirror: StoreMirror;
  /** This node's copy of the store's earlier versions of articles (filled by the mirror). */
  versions: VersionHistory;
  /**
   * An empty folder given to the index as its corpus: with a store, every article
   * comes from the mirror journal (the index code reads a corpus folder and
   * applies a journal over it; an empty folder keeps that code as it is).
   */
  corpusDir: string;
}

/** Wait between attempts to reach the store at a start with nothing to serve (ms). */
const RETRY_MS = 1_000;

/**
 * Connects to the article store, opens this node's mirror journal (its epoch
 * is the store's id: a mirror of another store is moved aside, and the index
 * built from it is then stale and rebuilt) and fetches the changes it lacks.
 * When PostgreSQL cannot be reached, a node with a mirror starts from it (and
 * serves reads; it follows once the store answers); a node without one waits
 * for the store, trying every second.
 */
export async function prepareStoreNode(
  settings: Pick<CliSettings, 'databaseUrl' | 'journalDir'> & Partial<Pick<CliSettings, 'maxVersions'>>,
  log: (line: string) => void,
): Promise<StoreNode> {
  const store = new PgStore(settings.databaseUrl!);
  const file = path.join(settings.journalDir, JOURNAL_FILE);
  let storeId: string | null = null;
  for (let attempt = 0; storeId === null; attempt++) {
    try {
      storeId = await store.prepare();
    } catch (error) {
      if (existsSync(file)) {
        log(
          `article store unreachable (${(error as Error).message}); starting from this node's mirror, following once it answers`,
        );
        break;
      }
      if (attempt % 10 === 0)
        log(
          `article store unreachable (${(error as Error).message}); this node has no mirror yet, trying again every second`,
        );
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  }
  let journal = Journal.open(settings.journalDir, {
    write: true,
    compact: true,
    ...(storeId ? { epoch: storeId } : {}),
  });
  if (storeId !== null && journal.epoch !== storeId) {
    journal.close();
    const aside = `${file}.other-store-${Date.now()}`;
    renameSync(file, aside);
    log(
      `the mirror journal followed another store (${journal.epoch}); moved to ${aside}, fetching this store's changes from the start`,
    );
    journal = Journal.open(settings.journalDir, { write: true, epoch: storeId });
  }
  const corpusDir = path.join(settings.journalDir, 'no-corpus');
  mkdirSync(corpusDir, { recursive: true });
  const versions = openVersionCopy(settings, storeId, log);
  const mirror = new StoreMirror(store, journal, log, Date.now, versions);
  if (storeId !== null) {
    const started = Date.now();
    const fetched = await mirror.catchUp().catch((error: unknown) => {
      log(
        `catching up with the article store failed (${(error as Error).message}); following it from what this node has`,
      );
      return 0;
    });
    const seconds = (Date.now() - started) / 1000;
    log(`article store: ${fetched} change(s) fetched in ${seconds.toFixed(2)} s; mirror at change ${journal.lastSeq}`);
  }
  return { store, journal, mirror, corpusDir, versions };
}

/**
 * Opens the node's copy of the store's versions. A file of another store, or
 * one this node kept of its own before versions were in the store, is moved
 * aside and the copy fetched again from the start.
 */
function openVersionCopy(
  settings: { journalDir: string; maxVersions?: number },
  storeId: string | null,
  log: (line: string) => void,
): VersionHistory {
  const options = {
    write: true,
    ...(settings.maxVersions === undefined ? {} : { maxVersions: settings.maxVersions }),
    ...(storeId ? { epoch: storeId } : {}),
  };
  const versions = VersionHistory.open(settings.journalDir, options);
  if (storeId === null || versions.epoch === storeId) return versions;
  versions.close();
  const file = path.join(settings.journalDir, VERSIONS_FILE);
  const aside = `${file}.${versions.epoch ? 'other-store' : 'before-store'}-${Date.now()}`;
  renameSync(file, aside);
  log(
    `the version file was not a copy of this store's versions; moved to ${aside}, fetching the store's from the start`,
  );
  return VersionHistory.open(settings.journalDir, options);
}
