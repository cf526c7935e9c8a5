import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const outDir = mkdtempSync(path.join(os.tmpdir(), 'bench-quick-test-'));

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('npm run bench -- --quick', () => {
  // The quick mode runs on bench/fixtures only, so this needs neither ../shared nor the network.
  let run: SpawnSyncReturns<string>;
  let report = '';
  beforeAll(() => {
    run = spawnSync('npm', ['run', 'bench', '--', '--quick', '--out', outDir], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 170_000,
    });
    report = existsSync(path.join(outDir, 'RESULTS.md')) ? readFileSync(path.join(outDir, 'RESULTS.md'), 'utf8') : '';
  }, 180_000);

  it('exits 0 end to end on the fixture corpus', () => {
    expect(run.error).toBeUndefined();
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
  });

  it('writes RESULTS.md with every expected table, both sizes and every system', () => {
    for (const heading of [
      '## Targets',
      '## Build and memory',
      '## Snapshot and start',
      '## Re-index after one changed file',
      '## Query latency (ms), the query set',
      '## As-you-type (ms)',
      '## Query language (ms)',
      '## HTTP over loopback',
      '## Hostile queries (1×)',
      '## CPU profile: our query passes',
      '## Export (`GET /search/export`, CSV)',
    ]) {
      expect(report).toContain(heading);
    }
    expect(report).toContain('QUICK MODE');
    expect(report).toContain('4× (repeated text, new ids)');
    for (const row of [
      'ours: searchArchive, default mode',
      'raw MiniSearch `search()`, AND',
      'FTS5, OR, `snippet()`',
      'ours, WORKERS=2',
      'FTS5 node:http',
      'ours: searchArchive `a NEAR/5 b`',
      'FTS5 `NEAR("a" "b", 5)`',
    ]) {
      expect(report).toContain(row);
    }
    // HTTP for our service in both cache configurations; FTS5 has none.
    for (const row of [
      'ours, WORKERS=1, QUERY_CACHE=0',
      'ours, WORKERS=2, QUERY_CACHE=0',
      'ours, WORKERS=1, query cache on',
      'ours, WORKERS=2, query cache on',
      'FTS5 node:http (no cache)',
    ]) {
      expect(report).toContain(row);
    }
    // Exports of every article measured at both sizes: rows, throughput and peak memory.
    expect(report).toMatch(/\| 1× \| `format=csv` \| [1-9][\d,]* \|/);
    expect(report).toMatch(/\| 4× \| `format=csv` \| [1-9][\d,]* \|/);
    // The start re-hashes no corpus file (the copy is dated back before its snapshot); the re-index exactly one.
    expect(report).toMatch(/\| 1× \| [^\n]*\| 0 of \d+ \|/);
    expect(report).toMatch(/\| 1× \| updated \| 1 of \d+ \|/);
    // A fresh output folder holds no earlier run: no before / after table.
    expect(report).not.toContain('## Before / after');
    // Every target has a verdict in both size columns.
    expect(report).toMatch(
      /\| full build ≤ 1\.3× raw MiniSearch’s \| \*\*(not )?met\*\*: .* \| \*\*(not )?met\*\*: .* \|/,
    );
  });

  it('renders the latency chart as SVG and leaves bench/results/RESULTS.md alone', () => {
    expect(readFileSync(path.join(outDir, 'latency.svg'), 'utf8')).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    expect(run.stdout).toContain(outDir);
  });
});
