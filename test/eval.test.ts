import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { queryWords, readCollection } from '../bench/eval/collection.js';
import { averagePrecision, geometricMean, ndcgAt } from '../bench/eval/metrics.js';
import { evaluateCollection } from '../bench/eval/evaluate.js';
import { PER_QUERY_HEADER, perQueryLines } from '../bench/eval/per-query-report.js';
import {
  BEGIN_MARK,
  END_MARK,
  renderRelevanceTable,
  writeRelevanceReport,
} from '../bench/eval/write-relevance-report.js';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const fixture = path.join(repoRoot, 'test/fixtures/relevance/tiny.json');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'eval-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('relevance metrics', () => {
  const judged = new Map([
    ['a', 2],
    ['b', 1],
  ]);

  it('gives nDCG@10 1 to the ideal order and less to the reverse', () => {
    expect(ndcgAt(['a', 'b'], judged)).toBe(1);
    // Reverse: DCG = 1/log2(2) + 3/log2(3); ideal = 3 + 1/log2(3).
    expect(ndcgAt(['b', 'a'], judged)).toBeCloseTo((1 + 3 / Math.log2(3)) / (3 + 1 / Math.log2(3)), 12);
  });

  it('counts only the first 10 hits for nDCG@10', () => {
    const eleven = ['x1', 'x2', 'x3', 'x4', 'x5', 'x6', 'x7', 'x8', 'x9', 'x10', 'a'];
    expect(ndcgAt(eleven, judged)).toBe(0);
  });

  it('averages precision at each relevant hit over all relevant documents, missing ones adding 0', () => {
    expect(averagePrecision(['a', 'x', 'b'], judged)).toBeCloseTo((1 + 2 / 3) / 2, 12);
    expect(averagePrecision(['x', 'a'], judged)).toBeCloseTo(0.5 / 2, 12);
  });

  it('takes the geometric mean, 0 when a value is 0', () => {
    expect(geometricMean([2, 0.5])).toBeCloseTo(1, 12);
    expect(geometricMean([1, 0])).toBe(0);
  });
});

describe('the protocol on the tiny judged fixture collection', () => {
  it('turns a query into lowercase [a-z0-9] words, each once', () => {
    expect(queryWords('Flooding in the river delta: the families, U.S. 2nd.')).toBe(
      'flooding in the river delta families u s 2nd',
    );
  });

  it('leaves out queries without judgments', async () => {
    const collection = await readCollection(fixture);
    expect(collection.queries.map((q) => q.id)).toEqual(['1', '2', '3']);
  });

  it('runs our search, FTS5 and raw MiniSearch, and our search ranks every judged document of the clear queries first', async () => {
    const collection = await readCollection(fixture);
    const figures = await evaluateCollection(collection, { http: false, repoRoot });
    for (const system of ['ours', 'fts5', 'minisearch'] as const) {
      const f = figures.systems[system]!;
      expect(f.ndcg10).toBeGreaterThan(0.5);
      expect(f.ndcg10).toBeLessThanOrEqual(1);
      expect(f.map).toBeGreaterThan(0.5);
    }
    expect(figures.systems.ours!.map).toBe(1);
  });

  it('gives one per-query line for each judged query: its nDCG@10, ours and FTS5, and the ranks of its judged documents', async () => {
    const collection = await readCollection(fixture);
    const figures = await evaluateCollection(collection, { http: false, repoRoot });
    const lines = perQueryLines(collection, figures);
    expect(PER_QUERY_HEADER.split('\t')).toHaveLength(9);
    expect(lines).toHaveLength(collection.queries.length);
    lines.forEach((line, i) => {
      const q = collection.queries[i]!;
      const [name, id, words, judged, ours, fts5, diff, ranksOurs] = line.split('\t');
      expect([name, id, words, judged]).toEqual([
        'tiny',
        q.id,
        String(q.words.split(' ').length),
        String(q.judgments.size),
      ]);
      expect(Number(diff)).toBeCloseTo(Number(ours) - Number(fts5), 3);
      // Our search ranks every judged document of the fixture's queries first (MAP 1, above): ranks 1, 2, …
      expect(ranksOurs).toBe(Array.from({ length: q.judgments.size }, (_, r) => r + 1).join(','));
    });
  });

  it('writes its table between the markers and keeps the rest of RELEVANCE.md', async () => {
    const file = path.join(tmp, 'RELEVANCE.md');
    writeFileSync(file, `# Relevance\n\n${BEGIN_MARK}\nold table\n${END_MARK}\n\n## Experiments\n\nkept by hand\n`);
    const collection = await readCollection(fixture);
    const figures = await evaluateCollection(collection, { http: false, repoRoot });
    await writeRelevanceReport(
      file,
      renderRelevanceTable([figures], { date: '2026-11-29 22:00 UTC', machine: 'test', versions: 'test' }),
    );
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('old table');
    expect(text).toContain('| tiny | 10 | 3 |');
    expect(text).toContain('Geometric mean of ours ÷ FTS5 nDCG@10');
    expect(text).toContain('## Experiments\n\nkept by hand\n');
  });

  it('npm run eval skips cleanly, exit 0, when the collections folder is absent', () => {
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'bench/eval.ts', '--collections', path.join(tmp, 'absent')],
      { cwd: repoRoot, encoding: 'utf8' },
    );
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('skipped — no judged collections');
  });

  it('runs end to end on a collections folder and writes the report', () => {
    const dir = path.join(tmp, 'collections');
    rmSync(dir, { recursive: true, force: true });
    spawnSync('mkdir', ['-p', dir]);
    writeFileSync(path.join(dir, 'tiny.json'), readFileSync(fixture));
    const out = path.join(tmp, 'report.md');
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'bench/eval.ts', '--collections', dir, '--out', out], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('| tiny | 10 | 3 |');
  });
});
