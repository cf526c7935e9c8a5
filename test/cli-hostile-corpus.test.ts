/**
 * The service and `npm run index` on a hostile corpus, as processes: a FIFO and
 * a symbolic link to /dev/zero are listed as problems, start finishes, and
 * SIGTERM stops the process, also while the index is still loading.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// Hang guards only: each case takes a few seconds; a read that blocks would take forever.
const GUARD_MS = 60_000;

let dir: string;
let corpusDir: string;
let cacheDir: string;
const children: ChildProcess[] = [];

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nrs-cli-hostile-'));
  corpusDir = path.join(dir, 'corpus');
  cacheDir = path.join(dir, 'cache');
  await mkdir(corpusDir);
  await writeFile(
    path.join(corpusDir, 'floods.txt'),
    'Floods displace thousands\n\nRiver floods displaced thousands of families.\n',
  );
  execFileSync('mkfifo', [path.join(corpusDir, 'pipe.txt')]);
  await symlink('/dev/zero', path.join(corpusDir, 'zero.txt'));
});

afterEach(async () => {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

function run(args: string[]): {
  child: ChildProcess;
  exit: Promise<{ code: number | null; out: string; err: string }>;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (data) => (out += data));
  child.stderr!.on('data', (data) => (err += data));
  const exit = new Promise<{ code: number | null; out: string; err: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, out, err })),
  );
  return { child, exit };
}

function waitFor(child: ChildProcess, pattern: RegExp): Promise<string> {
  let err = '';
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (data) => {
      err += data;
      const match = pattern.exec(err);
      if (match) resolve(match[1] ?? match[0]);
    });
    child.on('exit', () => reject(new Error(`exited before ${pattern}: ${err}`)));
  });
}

describe.skipIf(process.platform === 'win32')('a corpus with a FIFO and a link to /dev/zero', () => {
  it('`npm run index` lists both as problems and indexes the rest', { timeout: GUARD_MS }, async () => {
    const { code, out } = await run(['index', '--corpus', corpusDir, '--cache', cacheDir, '--symlinks', 'anywhere'])
      .exit;
    expect(code).toBe(0);
    expect(out).toContain('articles:   1');
    expect(out).toContain('  pipe.txt: not a regular file: FIFO (named pipe); not read');
    expect(out).toContain('  zero.txt: not a regular file: symbolic link to a character device; not read');
  });

  it('`serve` becomes ready and stops on SIGTERM', { timeout: GUARD_MS }, async () => {
    const { child, exit } = run(['serve', '--corpus', corpusDir, '--cache', cacheDir, '--port', '0']);
    await waitFor(child, /ready:/);
    child.kill('SIGTERM');
    expect((await exit).code).toBe(0);
  });

  it('`serve` stops on SIGTERM while the index is still loading', { timeout: GUARD_MS }, async () => {
    // A large file keeps the start busy for a while after the port is open.
    await writeFile(
      path.join(corpusDir, 'big.txt'),
      `Big story\n\n${'The council met on Tuesday to discuss the budget. '.repeat(200_000)}\n`,
    );
    const { child, exit } = run(['serve', '--corpus', corpusDir, '--cache', cacheDir, '--port', '0']);
    await waitFor(child, /listening on/);
    child.kill('SIGTERM');
    const { code, err } = await exit;
    expect(code).toBe(0);
    // Stopped by its own handler (a clean exit), whether or not the index finished loading first.
    expect(err).toMatch(/SIGTERM: finishing requests in flight/);
  });
});
