import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScaleResults } from '../bench/lib/scale-results.js';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const outDir = mkdtempSync(path.join(os.tmpdir(), 'bench-scale-quick-'));

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

/** Runs the scale bench in quick mode (fixture corpus, generated into a temp folder) into `out`. */
function scaleBench(
  out: string,
  extra: string[] = [],
): { run: SpawnSyncReturns<string>; report: string; results: ScaleResults | null } {
  const run = spawnSync('npm', ['run', 'bench', '--', '--quick', '--only', 'scale', '--out', out, ...extra], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 170_000,
  });
  const file = (name: string) => (existsSync(path.join(out, name)) ? readFileSync(path.join(out, name), 'utf8') : '');
  const json = file('scale-results.json');
  return { run, report: file('RESULTS.md'), results: json ? (JSON.parse(json) as ScaleResults) : null };
}

describe('npm run bench -- --quick --only scale', () => {
  // The generated corpora come from bench/fixtures: neither ../shared nor the network is needed.
  let ok: ReturnType<typeof scaleBench>;
  let failing: ReturnType<typeof scaleBench>;
  beforeAll(() => {
    ok = scaleBench(path.join(outDir, 'ok'));
    // A heap far too small for our build: the size must come back as a failed row, not a crash.
    failing = scaleBench(path.join(outDir, 'failing'), ['--sizes', '1', '--build-heap-mb', '4']);
  }, 180_000);

  it('builds and serves ours and FTS5 at both quick sizes and writes the scale section', () => {
    expect(ok.run.status, `${ok.run.stdout}\n${ok.run.stderr}`).toBe(0);
    expect(ok.results!.sizes.map((s) => s.times)).toEqual([1, 3]);
    for (const size of ok.results!.sizes) {
      for (const system of [size.ours, size.fts]) {
        expect(system.failed).toBeUndefined();
        expect(system.build!.ok).toBe(true);
        expect(system.serve!.queries).toBeGreaterThanOrEqual(1000);
        expect(system.serve!.default.non200 + system.serve!.or.non200 + system.serve!.typing.non200).toBe(0);
      }
      expect(size.corpus!.distinctForms).toBeGreaterThan(0);
    }
    for (const heading of [
      '<!-- scale:begin -->',
      '## Scale: a generated archive',
      '### Build, disk, start, memory',
      '### Query latency over HTTP (ms)',
      '### Targets of issue 9',
      '<!-- scale:end -->',
    ]) {
      expect(ok.report).toContain(heading);
    }
    expect(ok.report).toMatch(
      /\| peak RSS ≤ 2\.5 GB while building \| \*\*(not )?met\*\*: .* \| \*\*(not )?met\*\*: .* \|/,
    );
  });

  it('reports a build that runs out of heap as a failed row with its reason, and still measures FTS5', () => {
    expect(failing.run.status, `${failing.run.stdout}\n${failing.run.stderr}`).toBe(0);
    const size = failing.results!.sizes[0]!;
    expect(size.ours.build!.ok).toBe(false);
    expect(size.ours.failed).toMatch(/^build: /);
    expect(size.ours.serve).toBeUndefined();
    expect(size.fts.serve!.queries).toBeGreaterThanOrEqual(1000);
    expect(failing.report).toMatch(/\| 1× \| ours \| \*\*failed\*\* after /);
  });
});
