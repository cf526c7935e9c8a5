/**
 * A full disk while saving the index: the write fails with ENOSPC (injected
 * into the writes the cache makes), the service keeps serving
 * from memory, says ENOSPC, and leaves no half-written file behind; the next
 * start with room saves normally.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openIndex } from '../src/index/open-index.js';

const disk = vi.hoisted(() => ({ full: false }));

vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const enospc = (): Error =>
    Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28 });
  // A write gets half its bytes on disk, then ENOSPC.
  const writeSync = ((fd: number, buffer: Uint8Array, offset?: number, length?: number, position?: number | null) => {
    const from = offset ?? 0;
    const size = length ?? buffer.byteLength - from;
    if (!disk.full) return real.writeSync(fd, buffer, from, size, position);
    real.writeSync(fd, buffer, from, Math.floor(size / 2), position);
    throw enospc();
  }) as typeof real.writeSync;
  return { ...real, writeSync, default: { ...real, writeSync } };
});

let dir: string;
let corpusDir: string;
let cacheDir: string;
let logs: string[];

/** Every file under `folder`, relative, sorted ([] when it does not exist). */
async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)))
    .sort();
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nrs-full-'));
  corpusDir = path.join(dir, 'corpus');
  cacheDir = path.join(dir, 'cache');
  logs = [];
  disk.full = false;
  await mkdir(corpusDir);
  await writeFile(
    path.join(corpusDir, 'floods.txt'),
    'Floods displace thousands\n\nRiver floods displaced thousands of families.\n',
  );
});

afterEach(async () => {
  disk.full = false;
  await rm(dir, { recursive: true, force: true });
});

describe('saving the index on a full disk', () => {
  it('serves from memory, names ENOSPC, and leaves no half-written file; the next start saves', async () => {
    disk.full = true;
    const first = await openIndex({ corpusDir, cacheDir, log: (line) => logs.push(line) });
    expect(first.saved).toBe(false);
    expect(first.index.articleCount).toBe(1);
    expect(logs.join('\n')).toMatch(/ENOSPC/);
    expect(await filesUnder(cacheDir)).toEqual([]);

    disk.full = false;
    const second = await openIndex({ corpusDir, cacheDir, log: (line) => logs.push(line) });
    expect(second.state).toBe('rebuilt');
    expect(second.saved).toBe(true);
    const third = await openIndex({ corpusDir, cacheDir, log: (line) => logs.push(line) });
    expect(third.state).toBe('loaded');
  });

  it('does not pile up files over repeated failed starts', async () => {
    disk.full = true;
    for (let i = 0; i < 3; i++) await openIndex({ corpusDir, cacheDir, log: (line) => logs.push(line) });
    expect(await filesUnder(cacheDir)).toEqual([]);
  });

  it('removes temporary files that a killed process left, before it writes', async () => {
    // The id of a process that has exited: its temporary file can be no one's work in progress.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    }).stdout;
    await mkdir(cacheDir, { recursive: true });
    await writeFile(path.join(cacheDir, `seg-000007.nrs.tmp-${dead}`), Buffer.alloc(4096));
    disk.full = true;
    await openIndex({ corpusDir, cacheDir, log: (line) => logs.push(line) });
    expect(await filesUnder(cacheDir)).toEqual([]);
  });
});
