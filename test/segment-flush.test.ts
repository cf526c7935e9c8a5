import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { flushInWorker } from '../src/index/segments/build-segment.js';
import { signatureFileOf } from '../src/index/segments/signature-file.js';
import { syntheticArticles } from './helpers/synthetic-articles.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nrs-flush-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a segment flush in worker threads', () => {
  it('writes the same segment and signatures when a second thread extracts the entities as when one thread does everything', async () => {
    const articles = syntheticArticles(120, 3).map((a) => ({
      ...a,
      url: null,
      paragraphs: [...a.paragraphs, 'Prime Minister Alix Didier Fils-Aimé met the Bank of England in Port-au-Prince.'],
    }));
    const one = path.join(dir, 'seg-000001.nrs');
    const two = path.join(dir, 'seg-000002.nrs');
    const oneBytes = await flushInWorker(articles, one, false);
    const twoBytes = await flushInWorker(articles, two, true);
    expect(twoBytes).toBe(oneBytes);
    expect((await readFile(two)).equals(await readFile(one))).toBe(true);
    expect((await readFile(signatureFileOf(two))).equals(await readFile(signatureFileOf(one)))).toBe(true);
  });
});
