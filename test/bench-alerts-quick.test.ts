import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const outDir = mkdtempSync(path.join(os.tmpdir(), 'bench-alerts-test-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('npm run bench:alerts -- --quick', () => {
  // The fixture corpus, 300 saved searches: the whole path of the alerts benchmark, in seconds.
  it('matches writes, imports with and without alerts, times PUT to webhook, and reports every measure', () => {
    const run = spawnSync(
      'npm',
      [
        'run',
        'bench:alerts',
        '--',
        '--quick',
        '--corpus',
        path.join(repoRoot, 'bench/fixtures/corpus'),
        '--out',
        outDir,
      ],
      { cwd: repoRoot, encoding: 'utf8', timeout: 170_000 },
    );
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    const report = existsSync(path.join(outDir, 'RESULTS-alerts.md'))
      ? readFileSync(path.join(outDir, 'RESULTS-alerts.md'), 'utf8')
      : '';
    for (const row of [
      'matching one written article (ms)',
      'PUT → webhook receiver (ms, one node)',
      'Bulk import of 300 articles',
    ])
      expect(report).toContain(row);
    const results = JSON.parse(readFileSync(path.join(outDir, 'alerts-results.json'), 'utf8')) as {
      alerts: number;
      putToWebhookMs: { count: number };
    };
    expect(results.alerts).toBeGreaterThan(0);
    expect(results.putToWebhookMs.count).toBe(20);
  }, 180_000);
});
