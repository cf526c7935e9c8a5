/**
 * Two builds of our service and the FTS5 peer side by side over HTTP, query by query in turn, in server
 * CPU time (`npx tsx bench/paired-http-cpu.ts --corpus DIR [--base REPO --base-cache DIR] --cache DIR
 * --fts DB [--mode default|or] [--passes N] [--queries N]`): `--base REPO` is another checkout of this
 * repository, built (`npm run build`), serving its own copy of the index cache (`--base-cache`); without
 * it, this checkout alone beside FTS5; this checkout serves `--cache`. Each server's resident set is printed
 * after each pass. Each server starts as the scale bench starts it (query cache off, one
 * worker) and is warmed with the first 50 queries. Then, for each of the bench's queries
 * (`bench/queries.json`, the first `--queries`, default all), every server in turn, the first rotating
 * from query to query and pass to pass, so that all see the same moment of the machine's load. Per
 * request: the client's wall time and the **server main thread's CPU time** (`/proc/PID/task/PID/schedstat`,
 * its first field, read before and after; GC helper threads left out). Prints p50 / p90 / p99 / mean per
 * server and pass, the ratios to FTS5 of the same pass, and the load average.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { type QueryMode, searchPath, serveCommand } from './lib/engine-adapter.js';
import { flag } from './lib/cli-flag.js';
import { freePort, type ServerProcess, startServerProcess, stopProcess } from './lib/load-test.js';
import { timeRequests } from './lib/http-timing.js';
import { percentile } from './lib/percentile.js';
import { REPO_ROOT } from './lib/prepare-corpus.js';

const corpusDir = path.resolve(flag('--corpus'));
// Without `--base`, this checkout alone beside FTS5.
const baseRepo = process.argv.includes('--base') ? path.resolve(flag('--base')) : null;
const baseCache = baseRepo === null ? null : path.resolve(flag('--base-cache'));
const cacheDir = path.resolve(flag('--cache'));
const ftsDb = path.resolve(flag('--fts'));
const mode = flag('--mode', 'or') as QueryMode;
const passes = Number(flag('--passes', '3'));
const set = JSON.parse(readFileSync(path.join(REPO_ROOT, 'bench/queries.json'), 'utf8')) as {
  queries: { q: string }[];
};
const queries = set.queries.map((q) => q.q).slice(0, Number(flag('--queries', String(set.queries.length))));

/** The resident set of process `pid` in MB (`VmRSS` of its status). */
function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return line ? Number(line.split(/\s+/)[1]) / 1024 : Number.NaN;
}

/** The main thread's CPU time of process `pid` in ms (`schedstat`'s first field is nanoseconds on the CPU). */
function threadCpuMs(pid: number): number {
  return Number(readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
}

interface Served {
  name: string;
  server: ServerProcess;
  /** The path of a query for this server. */
  pathOf: (q: string) => string;
}

// The allocator settings `npm start` makes (package.json), so the resident sets are the service's.
const env = { ...process.env, GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1:glibc.malloc.mmap_threshold=131072' };
const servers: Served[] = [];
try {
  const ours: [string, string, string][] = [['branch', REPO_ROOT, cacheDir]];
  if (baseRepo !== null && baseCache !== null) ours.unshift(['base', baseRepo, baseCache]);
  for (const [name, repo, cache] of ours) {
    const port = await freePort();
    const command = serveCommand(repo, corpusDir, cache, port);
    const server = await startServerProcess(command.program, command.args, {
      env,
      cwd: command.cwd,
      port,
      timeoutMs: 600_000,
    });
    servers.push({ name, server, pathOf: (q) => searchPath(q, mode) });
  }
  const port = await freePort();
  const fts = await startServerProcess(
    process.execPath,
    ['--import', 'tsx', path.join(REPO_ROOT, 'bench/fts-server.ts')],
    {
      env: { ...env, FTS_DB: ftsDb, PORT: String(port) },
      cwd: REPO_ROOT,
      port,
      timeoutMs: 120_000,
    },
  );
  const ftsMode = mode === 'or' ? '&mode=or' : mode === 'default' ? '&prefix=last' : '&prefix=last';
  servers.push({ name: 'FTS5', server: fts, pathOf: (q) => `/search?q=${encodeURIComponent(q)}${ftsMode}` });
  for (const s of servers) await timeRequests(s.server.baseUrl, queries.slice(0, 50).map(s.pathOf));

  const summary = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    return { p50: percentile(sorted, 50), p90: percentile(sorted, 90), p99: percentile(sorted, 99), mean };
  };
  const f = (x: number) => x.toFixed(2);
  console.log(`mode ${mode}, ${queries.length} queries, ${passes} passes`);
  for (let pass = 0; pass < passes; pass++) {
    const load = loadavg()[0]!;
    const cpu = servers.map(() => [] as number[]);
    const wall = servers.map(() => [] as number[]);
    for (let i = 0; i < queries.length; i++) {
      for (let j = 0; j < servers.length; j++) {
        const s = (i + pass + j) % servers.length;
        const served = servers[s]!;
        const pid = served.server.child.pid!;
        const before = threadCpuMs(pid);
        const timed = await timeRequests(served.server.baseUrl, [served.pathOf(queries[i]!)]);
        cpu[s]!.push(threadCpuMs(pid) - before);
        wall[s]!.push(timed.ms[0]!);
      }
    }
    const ftsCpu = summary(cpu[servers.length - 1]!);
    console.log(`pass ${pass + 1} (load average ${load.toFixed(1)} → ${loadavg()[0]!.toFixed(1)})`);
    servers.forEach((s, j) => {
      const c = summary(cpu[j]!);
      const w = summary(wall[j]!);
      const ratio =
        j < servers.length - 1 ? `  ÷ FTS5 p50 ${f(c.p50 / ftsCpu.p50)}× p99 ${f(c.p99 / ftsCpu.p99)}×` : '';
      console.log(
        `  ${s.name.padEnd(6)} CPU p50/p90/p99/mean ${f(c.p50)} / ${f(c.p90)} / ${f(c.p99)} / ${f(c.mean)} ms` +
          `  wall ${f(w.p50)} / ${f(w.p90)} / ${f(w.p99)} / ${f(w.mean)} ms${ratio}` +
          `  RSS ${rssMb(s.server.child.pid!).toFixed(0)} MB`,
      );
    });
  }
} finally {
  for (const s of servers) await stopProcess(s.server.child, 10_000);
}
