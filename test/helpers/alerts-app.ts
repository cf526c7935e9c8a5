import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import { AlertService } from '../../src/alerts/alert-service.js';
import type { Deliver } from '../../src/alerts/webhook-delivery.js';
import { parseWebhookAllowList } from '../../src/alerts/webhook-target.js';
import { withAlerts } from '../../src/alerts/with-alerts.js';
import { createApp } from '../../src/http/create-app.js';
import { openIndex } from '../../src/index/open-index.js';
import { localWriter } from '../../src/live/archive-writer.js';
import { Journal } from '../../src/live/journal.js';
import { LiveArchive } from '../../src/live/live-archive.js';
import { ADMIN_KEY, SEARCH_KEY } from './live-app.js';

export { ADMIN_KEY, SEARCH_KEY };

/** A webhook request as the fake sender received it. */
export interface Delivered {
  url: string;
  body: string;
  secret: string;
}

export interface AlertsApp {
  app: Express;
  live: LiveArchive;
  alerts: AlertService;
  /** Requests the fake sender took, in order (when `deliver` was not given). */
  delivered: Delivered[];
  dir: string;
  corpusDir: string;
  close: () => Promise<void>;
  remove: () => Promise<void>;
}

/**
 * A service with saved searches over a temporary corpus (`files`), with the
 * admin key (and the search key with `searchKey`), a clock (`now`), a webhook
 * sender (default: one that records and answers 200), and `127.0.0.1` allowed;
 * the page too with `publicDir`.
 */
export async function alertsApp(
  options: {
    files?: Record<string, string>;
    now?: () => number;
    dir?: string;
    searchKey?: boolean;
    deliver?: Deliver;
    maxAlerts?: number;
    publicDir?: string;
  } = {},
): Promise<AlertsApp> {
  const dir = options.dir ?? (await mkdtemp(path.join(os.tmpdir(), 'nrs-alerts-')));
  const corpusDir = path.join(dir, 'corpus');
  await mkdir(corpusDir, { recursive: true });
  for (const [file, content] of Object.entries(options.files ?? {})) {
    await mkdir(path.dirname(path.join(corpusDir, file)), { recursive: true });
    await writeFile(path.join(corpusDir, file), content);
  }
  const journalDir = path.join(corpusDir, '.journal');
  const journal = Journal.open(journalDir, { write: true });
  const opened = await openIndex({
    corpusDir,
    cacheDir: path.join(dir, 'cache'),
    overrides: journal,
    ...(options.now ? { now: options.now } : {}),
  });
  const delivered: Delivered[] = [];
  const alerts = await AlertService.open({
    dir: path.join(journalDir, 'alerts'),
    allow: parseWebhookAllowList('127.0.0.1'),
    deliver:
      options.deliver ??
      (async (url, body, secret) => {
        delivered.push({ url, body, secret });
        return { ok: true, status: 200 };
      }),
    ...(options.maxAlerts === undefined ? {} : { maxAlerts: options.maxAlerts }),
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
    onChange: (change) => alerts.articlesChanged(change),
    ...(options.now ? { now: options.now } : {}),
  });
  alerts.catchUp(journal, (id) => opened.index.getArticle(id) ?? null);
  const writer = withAlerts(localWriter(journal, live), () => alerts);
  const app = createApp({
    getIndex: () => live.index,
    live: { archive: () => live, writer: () => writer },
    alerts: () => alerts,
    keys: { admin: ADMIN_KEY, search: options.searchKey ? SEARCH_KEY : null },
    ...(options.publicDir ? { publicDir: options.publicDir } : {}),
  });
  const close = async () => {
    await live.close();
    await alerts.close();
    live.index.close();
    journal.close();
  };
  return {
    app,
    live,
    alerts,
    delivered,
    dir,
    corpusDir,
    close,
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
