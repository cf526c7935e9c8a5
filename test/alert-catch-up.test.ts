import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AlertService } from '../src/alerts/alert-service.js';
import { apiArticle } from './helpers/api-article.js';

/**
 * The catch-up of the alerts at their opening: a first start records where
 * the journal is, unless told where it was before the service took writes
 * (with workers, the alerts open after the workers took their first writes).
 */

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

const article = apiArticle;

/** A journal of three writes (seq 1 to 3), all visible. */
const articles = new Map([
  ['a1', article('a1', 'A ferry sailed.')],
  ['a2', article('a2', 'A ferry docked.')],
  ['a3', article('a3', 'A ferry sank.')],
]);
const seqOf = (id: string) => Number(id.slice(1));
const journal = {
  lastSeq: 3,
  changedSince: (seq: number) => [...articles.keys()].filter((id) => seqOf(id) > seq),
  gatedIds: () => [],
  articleOf: (id: string) => articles.get(id) ?? null,
};

async function opened(): Promise<AlertService> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'nrs-alert-catchup-'));
  dirs.push(dir);
  const alerts = await AlertService.open({ dir });
  await alerts.create({
    name: 'Ferries',
    query: { q: 'ferry', from: null, to: null, source: [], section: [], author: [], tag: [] },
    webhook: null,
  });
  return alerts;
}

describe('the alerts catching up at their first start', () => {
  it('only records where the journal is, by default', async () => {
    const alerts = await opened();
    alerts.catchUp(journal, (id) => articles.get(id) ?? null);
    await alerts.flushed();
    const [alert] = alerts.list();
    expect(alerts.entries(alert!.id)).toEqual([]);
    await alerts.close();
  });

  it('matches the changes after `firstSeq`, once', async () => {
    const alerts = await opened();
    alerts.catchUp(journal, (id) => articles.get(id) ?? null, 1);
    await alerts.flushed();
    const [alert] = alerts.list();
    expect(
      alerts
        .entries(alert!.id)
        .map((e) => e.article.articleId)
        .sort(),
    ).toEqual(['a2', 'a3']);
    // Recorded as matched: a second catch-up (the next owner's) makes nothing more.
    alerts.catchUp(journal, (id) => articles.get(id) ?? null, 1);
    await alerts.flushed();
    expect(alerts.stats().events['alert.match']).toBe(2);
    await alerts.close();
  });
});
