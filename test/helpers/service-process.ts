import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project's root folder. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The seed article shipped in `corpus/`. */
export const SEED = path.join(ROOT, 'corpus', 'haiti-soldiers-mexico-training.txt');

/** Runs the command line (`src/main.ts` through tsx) with extra environment. */
export function run(args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Waits for a process to end: its exit code and everything it wrote. */
export async function finish(child: ChildProcess): Promise<{ code: number | null; out: string; err: string }> {
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { code, out, err };
}

/**
 * Resolves the URL a starting server logged, once it also logged `ready:` (`readyCount`
 * times: once per worker with `WORKERS` > 1); and its standard error so far, as a getter.
 */
export function readyUrl(child: ChildProcess, readyCount = 1): Promise<{ url: string; err: () => string }> {
  let err = '';
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (d) => {
      err += d;
      const match = /listening on (http:\/\/\S+)/.exec(err);
      if (match && (err.match(/ready:/g) ?? []).length >= readyCount) resolve({ url: match[1]!, err: () => err });
    });
    child.on('exit', () => reject(new Error(err)));
  });
}
