import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from '../src/cli/parse-args.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SEED = path.join(ROOT, 'corpus', 'haiti-soldiers-mexico-training.txt');

let dir: string;
let corpusDir: string;
let cacheDir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nrs-cli-'));
  corpusDir = path.join(dir, 'corpus');
  cacheDir = path.join(dir, 'cache');
  await mkdir(corpusDir);
  await cp(SEED, path.join(corpusDir, 'haiti-soldiers-mexico-training.txt'));
  await writeFile(path.join(corpusDir, 'broken.ndjson'), '{"id":"ok","title":"Fine","body":"Fine text."}\n{oops\n');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function run(args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

async function finish(child: ChildProcess): Promise<{ code: number | null; out: string; err: string }> {
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { code, out, err };
}

/** Starts `serve` on a free port; resolves once the index is ready, with the URL it printed. */
async function serve(): Promise<{ child: ChildProcess; result: ReturnType<typeof finish>; url: string }> {
  const child = run(['serve', '--corpus', corpusDir, '--cache', cacheDir, '--port', '0']);
  const result = finish(child);
  let err = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (d) => {
      err += d;
      const match = /listening on (http:\/\/\S+)/.exec(err);
      if (match && /ready:/.test(err)) resolve(match[1]!);
    });
    child.on('exit', () => reject(new Error(err)));
  });
  return { child, result, url };
}

describe('command line', () => {
  it('merges flags over environment over defaults, and rejects unknown options', () => {
    expect(parseArgs(['index', '--corpus', 'a', '--port=8080'], { INDEX_CACHE_DIR: 'c', PORT: '9' })).toMatchObject({
      command: 'index',
      corpusDir: 'a',
      cacheDir: 'c',
      port: 8080,
      host: '127.0.0.1',
    });
    expect(parseArgs([], { CORS_ORIGINS: 'https://a.example, https://b.example' }).corsOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(() => parseArgs(['--bogus'], {})).toThrow(/unknown option `--bogus`/);
    expect(() => parseArgs(['--port', '1e3'], {})).toThrow(/--port must be an integer/);
  });

  it('`index` builds the cache and prints a summary listing each problem; a second run loads it', async () => {
    const first = await finish(run(['index', '--corpus', corpusDir, '--cache', cacheDir]));
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/^articles: +2$/m);
    expect(first.out).toMatch(/^paragraphs: +12$/m);
    expect(first.out).toMatch(/^cache: +rebuilt \(no index yet\)$/m);
    expect(first.out).toMatch(/^problems: +1\n {2}broken\.ndjson:2: invalid JSON/m);
    expect(first.out).toMatch(/^time: +\d+\.\d\d s/m);
    const second = await finish(run(['index'], { CORPUS_DIR: corpusDir, INDEX_CACHE_DIR: cacheDir }));
    expect(second.out).toMatch(/^cache: +loaded \(index matches the corpus\)$/m);
    expect(second.out).toMatch(/^problems: +1$/m);
  }, 60_000);

  it('`serve` prints its URL, answers a search, and exits 0 on SIGTERM', async () => {
    const { child, result, url } = await serve();
    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    const body = (await (await fetch(`${url}/search?q=displaced`)).json()) as { hits: { articleId: string; snippets: { html: string }[] }[] };
    expect(body.hits[0]!.articleId).toBe('haiti-soldiers-mexico-training');
    expect(body.hits[0]!.snippets[0]!.html).toContain('<mark>displaced</mark>');
    child.kill('SIGTERM');
    expect((await result).code).toBe(0);
  }, 60_000);

  it('on SIGTERM finishes a request already in flight, answers it, then exits 0 promptly', async () => {
    const { child, result, url } = await serve();
    const port = Number(new URL(url).port);
    // A request whose headers are not finished yet when the signal arrives.
    const socket = connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    let response = '';
    socket.on('data', (chunk) => (response += chunk));
    const closed = new Promise((resolve) => socket.once('close', resolve));
    socket.write('GET /search?q=displaced HTTP/1.1\r\nHost: localhost\r\n');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const stoppedAt = Date.now();
    child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 200));
    socket.write('\r\n');
    await closed;
    expect(response.split('\r\n')[0]).toBe('HTTP/1.1 200 OK');
    expect(response).toContain('<mark>displaced</mark>');
    expect((await result).code).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(4000);
  }, 60_000);
});
