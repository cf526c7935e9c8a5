import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { finish, readyUrl, run, SEED } from './helpers/service-process.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nrs-warmup-'));
  await mkdir(path.join(dir, 'corpus'));
  await cp(SEED, path.join(dir, 'corpus', 'seed.txt'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('GET /health: the warm-up after a start', () => {
  it('says when the background warm-up (frequent postings, duplicate groups) is done', async () => {
    const corpus = path.join(dir, 'corpus');
    const cache = path.join(dir, 'cache');
    const child = run(['serve', '--corpus', corpus, '--cache', cache, '--port', '0', '--watch', 'false']);
    const result = finish(child);
    const { url } = await readyUrl(child);
    let warmedUp: Record<string, boolean> = {};
    // One article: the warm-up ends within a few turns of the event loop (10 s on a loaded machine at most).
    for (let tries = 0; tries < 100; tries++) {
      const health = (await (await fetch(`${url}/health`)).json()) as {
        status: string;
        warmedUp: Record<string, boolean>;
      };
      expect(health.status).toBe('ready');
      warmedUp = health.warmedUp;
      if (Object.values(warmedUp).every(Boolean)) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(warmedUp).toEqual({ postings: true, duplicateGroups: true });
    child.kill('SIGTERM');
    expect((await result).code).toBe(0);
  });
});
