import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const outDir = mkdtempSync(path.join(os.tmpdir(), 'bench-writes-test-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('npm run bench:writes -- --quick', () => {
  // The fixture corpus and 300 articles: the whole path of the writes benchmark, in seconds.
  it('imports through the service while searching, and reports every measure', () => {
    const run = spawnSync('npm', ['run', 'bench:writes', '--', '--quick', '--out', outDir], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 170_000,
    });
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    const report = existsSync(path.join(outDir, 'RESULTS-writes.md'))
      ? readFileSync(path.join(outDir, 'RESULTS-writes.md'), 'utf8')
      : '';
    for (const row of [
      '`npm run index` of the same articles',
      'import alone',
      'import while searching',
      'search p50 / p99 during the import',
      'single `PUT` until a search finds it',
    ])
      expect(report).toContain(row);
    const results = JSON.parse(readFileSync(path.join(outDir, 'writes-results.json'), 'utf8')) as {
      imported: number;
      articlesAfter: number;
      corpusArticles: number;
      searchErrors: number;
    };
    expect(results.articlesAfter).toBe(results.corpusArticles + 2 * results.imported + 10);
    expect(results.searchErrors).toBe(0);
  }, 180_000);
});
