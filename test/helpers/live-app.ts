import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import { createApp } from '../../src/http/create-app.js';
import { openIndex } from '../../src/index/open-index.js';
import { localWriter } from '../../src/live/archive-writer.js';
import { Journal } from '../../src/live/journal.js';
import { LiveArchive } from '../../src/live/live-archive.js';
import { VersionHistory } from '../../src/live/version-history.js';
import { versionedWriter } from '../../src/live/versioned-writer.js';
import { cachedSearch } from '../../src/query/cached-search.js';
import { searchArchive } from '../../src/query/search-archive.js';

export const ADMIN_KEY = 'admin-key-0123456789';
export const SEARCH_KEY = 'search-key-0123456789';

export interface LiveApp {
  app: Express;
  live: LiveArchive;
  journal: Journal;
  dir: string;
  corpusDir: string;
  cacheDir: string;
  journalDir: string;
  versions: VersionHistory;
  /** Closes the archive and the journal (the folder stays until `remove`). */
  close: () => Promise<void>;
  remove: () => Promise<void>;
}

/**
 * A service over a temporary corpus (`files`: path → content), with a journal,
 * the admin key, the query cache, and an optional clock; `dir` reuses a folder
 * (a restart).
 */
export async function liveApp(
  options: {
    files?: Record<string, string>;
    now?: () => number;
    dir?: string;
    searchKey?: boolean;
    writes?: boolean;
    maxVersions?: number;
    searchBudgetMs?: number;
  } = {},
): Promise<LiveApp> {
  const dir = options.dir ?? (await mkdtemp(path.join(os.tmpdir(), 'nrs-live-')));
  const corpusDir = path.join(dir, 'corpus');
  const cacheDir = path.join(dir, 'cache');
  const journalDir = path.join(corpusDir, '.journal');
  await mkdir(corpusDir, { recursive: true });
  for (const [file, content] of Object.entries(options.files ?? {})) {
    await mkdir(path.dirname(path.join(corpusDir, file)), { recursive: true });
    await writeFile(path.join(corpusDir, file), content);
  }
  const journal = Journal.open(journalDir, { write: true });
  const versions = VersionHistory.open(journalDir, {
    write: true,
    ...(options.maxVersions ? { maxVersions: options.maxVersions } : {}),
  });
  const opened = await openIndex({
    corpusDir,
    cacheDir,
    overrides: journal,
    ...(options.now ? { now: options.now } : {}),
  });
  const live = new LiveArchive({
    writer: opened.writer,
    held: opened.held,
    overrides: journal,
    corpusDir,
    files: opened.files,
    problems: opened.problems,
    segmentCache: opened.cache,
    commits: opened.cache !== null,
    versions,
    ...(options.now ? { now: options.now } : {}),
  });
  // As the service does: every change keeps the version it replaces (see `src/cli/serve-writer.ts`).
  const writer = versionedWriter(localWriter(journal, live), versions, {
    article: (id) => live.index.getArticle(id) ?? live.heldArticle(id) ?? null,
    since: (id) => versions.correctedAt(id) ?? (journal.opOf(id) === 'put' ? (journal.latest(id)?.at ?? null) : null),
  });
  const search = cachedSearch((i, params, deadline) => searchArchive(i, params, undefined, deadline), 100);
  const app = createApp({
    getIndex: () => live.index,
    search,
    live: { archive: () => live, writer: () => writer },
    versions: () => versions,
    ...(options.searchBudgetMs ? { searchBudgetMs: options.searchBudgetMs } : {}),
    keys: { admin: options.writes === false ? null : ADMIN_KEY, search: options.searchKey ? SEARCH_KEY : null },
  });
  const close = async () => {
    await live.close();
    live.index.close();
    journal.close();
    versions.close();
  };
  return {
    app,
    live,
    journal,
    dir,
    corpusDir,
    cacheDir,
    journalDir,
    versions,
    close,
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
