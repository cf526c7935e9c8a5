import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer, type AddressInfo } from 'node:net';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from '../src/cli/parse-args.js';
import { finish, readyUrl, ROOT, run, SEED } from './helpers/service-process.js';

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
  // A killed primary's workers exit a moment later, and may still write into their cache folders meanwhile.
  await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
});

/** Starts `serve` on a free port; resolves once the index is ready, with the URL it printed. */
async function serve(): Promise<{ child: ChildProcess; result: ReturnType<typeof finish>; url: string }> {
  const child = run(['serve', '--corpus', corpusDir, '--cache', cacheDir, '--port', '0']);
  const result = finish(child);
  return { child, result, url: (await readyUrl(child)).url };
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
    expect(parseArgs([], { CORS_ORIGINS: 'https://a.example, https://b.example' }).corsOrigins).toEqual([
      'https://a.example',
      'https://b.example',
    ]);
    expect(() => parseArgs(['--bogus'], {})).toThrow(/unknown option `--bogus`/);
    expect(() => parseArgs(['--port', '1e3'], {})).toThrow(/--port must be an integer/);
  });

  it('reads the article store settings: DATABASE_URL, MAX_LAG_S, the mirror folder, and what they rule out', () => {
    expect(parseArgs([], {})).toMatchObject({ databaseUrl: null, maxLagS: 10, journalDir: 'corpus/.journal' });
    expect(
      parseArgs(['--cache', 'node1/cache'], { DATABASE_URL: 'postgres://nrs@127.0.0.1:5432/news', MAX_LAG_S: '3' }),
    ).toMatchObject({
      databaseUrl: 'postgres://nrs@127.0.0.1:5432/news',
      maxLagS: 3,
      journalDir: 'node1/cache-journal',
    });
    expect(() => parseArgs([], { DATABASE_URL: 'mysql://secret@host/db' })).toThrow(
      'DATABASE_URL must be a postgres:// or postgresql:// URL (the value given is not shown).',
    );
    expect(() => parseArgs([], { DATABASE_URL: 'postgres://h/db', WORKERS: '2' })).toThrow(/one worker per node/);
    expect(() => parseArgs(['import'], {})).toThrow(/set DATABASE_URL/);
    expect(() => parseArgs(['index'], { DATABASE_URL: 'postgres://h/db' })).toThrow(
      /builds its own from the article store/,
    );
  });

  it('checks every setting up front, naming the flag or variable and the bad value', () => {
    expect(() => parseArgs(['--host='], {})).toThrow('--host must not be empty.');
    expect(() => parseArgs(['--search-queue', '0'], {})).toThrow(
      '--search-queue must be an integer from 1 to 10000, got `0`.',
    );
    expect(() => parseArgs([], { LOG_LEVEL: 'loud' })).toThrow(
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got `loud`.',
    );
    expect(() => parseArgs([], { LOG_QUERIES: 'yes' })).toThrow(/LOG_QUERIES must be one of true, false/);
    expect(parseArgs([], { SEARCH_BUDGET_MS: '250', QUERY_CACHE_MB: '16', LOG_QUERIES: 'true' })).toMatchObject({
      searchBudgetMs: 250,
      queryCacheMb: 16,
      logQueries: true,
      searchQueue: 64,
      shutdownTimeoutS: 10,
      adminPort: null,
    });
    expect(parseArgs(['--admin-port', '9100'], {}).adminPort).toBe(9100);
    expect(() => parseArgs([], { ADMIN_PORT: '0' })).toThrow('ADMIN_PORT must be an integer from 1 to 65535, got `0`.');
    expect(() => parseArgs(['--admin-port', '9100', '--workers', '2'], {})).toThrow(/works with one worker only/);
  });

  it('a bad setting exits 2 with one line naming it, then the usage', async () => {
    const result = await finish(run(['serve', '--host=']));
    expect(result.code).toBe(2);
    expect(result.err.split('\n')[0]).toBe('newsroom-search: --host must not be empty.');
    expect(result.err).toContain('--shutdown-timeout S');
  }, 60_000);

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
    const body = (await (await fetch(`${url}/search?q=displaced`)).json()) as {
      hits: { articleId: string; snippets: { html: string }[] }[];
    };
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

  it("`npm start` (the README's start command) stops on SIGTERM: exit 0, nothing of ours left on the port", async () => {
    const child = spawn('npm', ['start', '--silent', '--', '--corpus', corpusDir, '--cache', cacheDir, '--port', '0'], {
      cwd: ROOT,
      env: { ...process.env, LOG_FORMAT: 'json' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const result = finish(child);
    const { url, err } = await readyUrl(child);
    expect((await fetch(`${url}/health`)).status).toBe(200);
    child.kill('SIGTERM');
    expect((await result).code).toBe(0);
    // The server process, not only npm, is gone: the port refuses connections.
    const port = Number(new URL(url).port);
    const refused = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', () => resolve(true));
    });
    expect(refused).toBe(true);
    expect(err()).toMatch(/"msg":"stopped"/);
  }, 120_000);

  it('with --admin-port answers /health and /health/live from its probe thread, then says "stopping" on SIGTERM', async () => {
    const adminPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const port = (probe.address() as AddressInfo).port;
        probe.close(() => resolve(port));
      });
    });
    const child = run([
      'serve',
      '--corpus',
      corpusDir,
      '--cache',
      cacheDir,
      '--port',
      '0',
      '--admin-port',
      String(adminPort),
    ]);
    const result = finish(child);
    await readyUrl(child);
    const admin = `http://127.0.0.1:${adminPort}`;
    expect(await (await fetch(`${admin}/health`)).json()).toMatchObject({
      status: 'ready',
      articles: 2,
      paragraphs: 12,
    });
    expect(await (await fetch(`${admin}/health/live`)).json()).toMatchObject({ status: 'alive' });
    expect((await fetch(`${admin}/search?q=x`)).status).toBe(404);
    child.kill('SIGTERM');
    // The signal is handled asynchronously: poll until the probe says "stopping" (503) or is gone
    // (the process exited first); it must not go on saying "ready".
    let last = 200;
    for (let i = 0; i < 100 && last === 200; i++) {
      const during = await fetch(`${admin}/health`).catch(() => null);
      last = during ? during.status : 0;
      if (last === 200) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect([503, 0]).toContain(last);
    expect((await result).code).toBe(0);
  }, 60_000);
});
