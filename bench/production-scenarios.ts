/**
 * The production scenarios of issue 11, over loopback, bounded in time: run as
 * `npx tsx bench/production-scenarios.ts --corpus DIR --cache DIR [--cmd "node dist/main.js serve"] [--cwd DIR]`.
 * Not part of `npm test`; it prints one JSON object of figures. Each scenario
 * starts the server afresh with the given command (run with `exec`, so the pid we
 * signal is the server's), so two builds can be compared in one session:
 *
 * 1. flood: 256 clients loop heavy searches for 10 s; `/health` probed every 100 ms.
 * 2. costliest: the costliest query the API allows, alone; `/health` probed every 5 ms
 *    meanwhile (the longest probe ≈ the event-loop stall).
 * 3. sigterm: a heavy query busies the loop, 8 requests are sent, then SIGTERM:
 *    how many of the 8 get an HTTP response (any status) rather than a reset.
 * 4. cache: RSS before and after 1,000 distinct heavy queries.
 * 5. startup: seconds from spawning `npm start` (in `--cwd`) to `/health` 200, from the index cache.
 * 6. throughput: 32 clients, 10 s of everyday searches, query cache off, access log on (`LOG_LEVEL=info`).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import autocannon from 'autocannon';
import { freePort } from './lib/load-test.js';
import { percentile } from './lib/percentile.js';

/** Frequent words of a news archive, for heavy queries. */
const COMMON =
  'said year would also new people government world last first market company percent two first over years time state country bank prices trade million billion week since month group economic president officials share'.split(
    ' ',
  );

function argOf(name: string, fallback?: string): string {
  const i = process.argv.indexOf(name);
  const value = i === -1 ? fallback : process.argv[i + 1];
  if (value === undefined) throw new Error(`missing ${name}`);
  return value;
}

const corpus = argOf('--corpus');
const cache = argOf('--cache');
const cmd = argOf('--cmd', 'node dist/main.js serve');
const cwd = argOf('--cwd', process.cwd());
const only = process.argv.includes('--only') ? argOf('--only').split(',') : null;

interface Server {
  child: ChildProcess;
  base: string;
  exited: Promise<number | null>;
}

/** GET over a fresh connection: resolves {status, ms}; status 0 on a reset or error. */
function get(url: string, timeoutMs = 30_000): Promise<{ status: number; ms: number; body: string }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started, body }));
      res.on('error', () => resolve({ status: 0, ms: performance.now() - started, body }));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve({ status: 0, ms: performance.now() - started, body: '' }));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function startServer(extraEnv: Record<string, string> = {}, command = cmd): Promise<Server> {
  const port = await freePort();
  const child = spawn('sh', ['-c', `exec ${command}`], {
    cwd,
    env: {
      ...process.env,
      PORT: String(port),
      CORPUS_DIR: corpus,
      INDEX_CACHE_DIR: cache,
      LOG_LEVEL: 'warn',
      ...extraEnv,
    },
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if ((await get(`${base}/health`, 2000)).status === 200) return { child, base, exited };
    await sleep(20);
  }
  child.kill('SIGKILL');
  throw new Error('server did not become ready');
}

async function stopServer(server: Server): Promise<void> {
  server.child.kill('SIGTERM');
  const code = await Promise.race([server.exited, sleep(15_000).then(() => 'timeout' as const)]);
  if (code === 'timeout') server.child.kill('SIGKILL');
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024);
}

const summary = (values: number[]) => ({
  count: values.length,
  p50: Math.round(percentile(values, 50)),
  p99: Math.round(percentile(values, 99)),
  max: Math.round(Math.max(...values)),
});

/** Probes `/health` every `everyMs` until `stop` resolves; resolves the latencies (ms) and statuses. */
async function probeHealth(base: string, everyMs: number, stop: Promise<unknown>) {
  let done = false;
  void stop.then(() => (done = true));
  const pending: Promise<{ status: number; ms: number }>[] = [];
  while (!done) {
    pending.push(get(`${base}/health`, 30_000));
    await sleep(everyMs);
  }
  const results = await Promise.all(pending);
  return { latency: summary(results.map((r) => r.ms)), non200: results.filter((r) => r.status !== 200).length };
}

/** Probes `/health` every `everyMs` for `forMs` from a child process; resolves the latencies (ms) and statuses. */
async function probeFromChild(base: string, everyMs: number, forMs: number) {
  const script = `
    const http = require('node:http');
    const results = [];
    const started = Date.now();
    const one = () => new Promise((resolve) => {
      const t = performance.now();
      const req = http.get(${JSON.stringify(base)} + '/health', { agent: false, timeout: 30000 }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode, ms: performance.now() - t }));
      });
      req.on('timeout', () => req.destroy());
      req.on('error', () => resolve({ status: 0, ms: performance.now() - t }));
    });
    (async () => {
      const pending = [];
      while (Date.now() - started < ${forMs}) {
        pending.push(one());
        await new Promise((r) => setTimeout(r, ${everyMs}));
      }
      process.stdout.write(JSON.stringify(await Promise.all(pending)));
    })();`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise((resolve) => child.once('exit', resolve));
  const results = JSON.parse(out) as { status: number; ms: number }[];
  return { latency: summary(results.map((r) => r.ms)), non200: results.filter((r) => r.status !== 200).length };
}

async function flood() {
  const adminPort = await freePort();
  const server = await startServer({ ADMIN_PORT: String(adminPort) });
  const paths = Array.from({ length: 64 }, (_, i) => {
    const words = [COMMON[i % COMMON.length], COMMON[(i * 7 + 3) % COMMON.length]].join(' ');
    return `/search?q=${encodeURIComponent(words)}&matchingStrategy=any&groupBy=none&hitsPerPage=20&page=${1 + (i % 3)}`;
  });
  let n = 0;
  let finish: (result: autocannon.Result) => void = () => {};
  const finished = new Promise<autocannon.Result>((resolve) => (finish = resolve));
  const run = autocannon(
    {
      url: server.base,
      connections: 256,
      duration: 10,
      timeout: 30,
      requests: [{ setupRequest: (req) => ({ ...req, path: paths[n++ % paths.length]! }) }],
    },
    (_error, result) => finish(result),
  );
  const statuses: Record<string, number> = {};
  run.on('response', (_client, status) => (statuses[status] = (statuses[status] ?? 0) + 1));
  // The probe runs in its own process: autocannon's 256 connections keep this one's loop busy.
  const [health, adminHealth] = await Promise.all([
    probeFromChild(server.base, 100, 10_000),
    probeFromChild(`http://127.0.0.1:${adminPort}`, 100, 10_000),
  ]);
  const result = await finished;
  await stopServer(server);
  return {
    health,
    adminHealth,
    searches: { statuses, errors: result.errors, timeouts: result.timeouts, p99Ms: result.latency.p99 },
  };
}

const COSTLIEST = `/search?q=${encodeURIComponent(COMMON.join(' '))}&matchingStrategy=any&hitsPerPage=100&snippetsPerArticle=5&cropLength=80&facets=source,section,author,year`;

async function costliest() {
  const server = await startServer({ QUERY_CACHE: '0' });
  await get(`${server.base}${COSTLIEST}&page=2`); // warm-up
  const runs = [];
  for (let i = 0; i < 3; i++) {
    const query = get(`${server.base}${COSTLIEST}&page=${1 + (i % 2)}`);
    const health = await probeHealth(server.base, 5, query);
    const q = await query;
    runs.push({
      queryMs: Math.round(q.ms),
      status: q.status,
      bytes: q.body.length,
      exhaustive: !q.body.includes('"exhaustive":false'),
      healthMaxMs: health.latency.max,
    });
  }
  await stopServer(server);
  return runs;
}

async function sigterm() {
  const rounds = [];
  for (let round = 0; round < 3; round++) {
    const server = await startServer({ QUERY_CACHE: '0' });
    void get(`${server.base}${COSTLIEST}`);
    await sleep(20);
    const sent = Array.from({ length: 8 }, (_, i) =>
      get(`${server.base}/search?q=${COMMON[i]}&matchingStrategy=any&groupBy=none`),
    );
    await sleep(20);
    const signalled = performance.now();
    server.child.kill('SIGTERM');
    const results = await Promise.all(sent);
    const code = await Promise.race([server.exited, sleep(15_000).then(() => 'timeout')]);
    if (code === 'timeout') server.child.kill('SIGKILL');
    rounds.push({
      answered: results.filter((r) => r.status !== 0).length,
      statuses: results.map((r) => r.status).join(' '),
      exitCode: code,
      exitMs: Math.round(performance.now() - signalled),
    });
  }
  return rounds;
}

async function cacheRss() {
  const server = await startServer({ QUERY_CACHE: '1000' });
  const pid = server.child.pid!;
  const before = rssMb(pid);
  let sent = 0;
  for (let i = 0; i < COMMON.length && sent < 1000; i++) {
    for (let j = 0; j < COMMON.length && sent < 1000; j++) {
      if (i === j) continue;
      const q = `${COMMON[i]} ${COMMON[j]}`;
      await get(
        `${server.base}/search?q=${encodeURIComponent(q)}&matchingStrategy=any&hitsPerPage=100&snippetsPerArticle=5&cropLength=80`,
      );
      sent++;
    }
  }
  await sleep(1000);
  const after = rssMb(pid);
  const health = JSON.parse((await get(`${server.base}/health`)).body) as Record<string, unknown>;
  await stopServer(server);
  return { queries: sent, rssBeforeMb: before, rssAfterMb: after, queryCache: health['queryCache'] };
}

/** Pids of processes still listening on the port of `base` (ours: a server orphaned by a stop). */
function listeners(base: string): number[] {
  const port = new URL(base).port;
  const out = execFileSync('ss', ['-ltnpH', `sport = :${port}`], { encoding: 'utf8' });
  return [...out.matchAll(/pid=(\d+)/g)].map((m) => Number(m[1]));
}

async function startup() {
  const runs = [];
  let orphaned = 0;
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    const server = await startServer({}, 'npm start --silent');
    runs.push(Math.round(performance.now() - started) / 1000);
    await stopServer(server);
    await sleep(500);
    // SIGTERM to `npm start` must leave nothing on the port; the servers it orphaned are stopped here.
    const left = listeners(server.base);
    if (left.length) orphaned++;
    for (const pid of left) process.kill(pid, 'SIGKILL');
  }
  return { seconds: runs, stopsThatOrphanedTheServer: orphaned };
}

async function throughput() {
  const server = await startServer({ QUERY_CACHE: '0', LOG_LEVEL: 'info' });
  const paths = COMMON.map((w, i) => `/search?q=${encodeURIComponent(`${w} ${COMMON[(i + 5) % COMMON.length]}`)}`);
  let n = 0;
  const result = await new Promise<autocannon.Result>((resolve) =>
    autocannon(
      {
        url: server.base,
        connections: 32,
        duration: 10,
        requests: [{ setupRequest: (req) => ({ ...req, path: paths[n++ % paths.length]! }) }],
      },
      (_e, r) => resolve(r),
    ),
  );
  await stopServer(server);
  return { requestsPerSecond: Math.round(result.requests.average), p99Ms: result.latency.p99, non2xx: result.non2xx };
}

const scenarios: Record<string, () => Promise<unknown>> = {
  costliest,
  sigterm,
  flood,
  cache: cacheRss,
  startup,
  throughput,
};
const out: Record<string, unknown> = { cmd, at: new Date().toISOString() };
for (const [name, run] of Object.entries(scenarios)) {
  if (only && !only.includes(name)) continue;
  out[name] = await run();
  process.stderr.write(`${name}: ${JSON.stringify(out[name])}\n`);
}
process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
