/**
 * HTTP measurements over loopback: start a server process, wait until it is
 * ready, drive it with autocannon for a bounded time, stop it (memory: `process-tree.ts`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import autocannon from 'autocannon';

/** A free TCP port on 127.0.0.1 (asked of the OS, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** GET over a fresh connection (so cluster workers are reached in turn); resolves the status code, 0 on error. */
function probe(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false, timeout: 2000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

/** GET over a fresh connection; resolves the parsed JSON body, null on error. */
function getJson(url: string): Promise<unknown> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false, timeout: 2000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        try {
          resolve(JSON.parse(body));
        } catch {
          resolve(null);
        }
      });
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(null));
  });
}

/** The query-cache counters of a server, summed over its worker processes. */
export interface CacheCounters {
  /** Entries allowed per process (`QUERY_CACHE`; 0 = off). */
  size: number;
  hits: number;
  misses: number;
  entries: number;
  /** Worker processes whose `/health` was read (each has its own cache). */
  processes: number;
}

/**
 * Reads `queryCache` from `/health` of each of `processes` workers: asks over fresh
 * connections (the cluster hands them to the workers in turn) until that many
 * distinct pids answered, at most 10 tries per process. Null when the server
 * reports no cache counters.
 */
export async function readCacheCounters(baseUrl: string, processes: number): Promise<CacheCounters | null> {
  const byPid = new Map<number, { size: number; hits: number; misses: number; entries: number }>();
  for (let i = 0; i < processes * 10 && byPid.size < processes; i++) {
    const body = (await getJson(`${baseUrl}/health`)) as {
      pid?: number;
      queryCache?: { size: number; hits: number; misses: number; entries: number };
    } | null;
    if (body?.queryCache && typeof body.pid === 'number') byPid.set(body.pid, body.queryCache);
  }
  if (byPid.size === 0) return null;
  const all = [...byPid.values()];
  const sum = (k: 'hits' | 'misses' | 'entries') => all.reduce((total, c) => total + c[k], 0);
  return {
    size: all[0]!.size,
    hits: sum('hits'),
    misses: sum('misses'),
    entries: sum('entries'),
    processes: byPid.size,
  };
}

/** A server process under test. */
export interface ServerProcess {
  child: ChildProcess;
  baseUrl: string;
  /** Milliseconds from spawn until `/health` answered 200 `consecutive` times in a row. */
  readyMs: number;
}

/**
 * Spawns `command args` with `env`, then polls `<baseUrl>/health` until it answers
 * 200 `consecutive` times in a row (over fresh connections), at most `timeoutMs`.
 * Throws (after killing the process) when it exits or the time runs out.
 */
export async function startServerProcess(
  command: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; cwd: string; port: number; timeoutMs: number; consecutive?: number },
): Promise<ServerProcess> {
  const started = performance.now();
  const child = spawn(command, args, { env: options.env, cwd: options.cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  let exited = false;
  child.once('exit', () => (exited = true));
  const baseUrl = `http://127.0.0.1:${options.port}`;
  let streak = 0;
  while (streak < (options.consecutive ?? 1)) {
    if (exited) throw new Error(`server exited before it was ready:\n${stderr}`);
    if (performance.now() - started > options.timeoutMs) {
      await stopProcess(child, 5000);
      throw new Error(`server not ready after ${options.timeoutMs} ms:\n${stderr}`);
    }
    const status = await probe(`${baseUrl}/health`);
    streak = status === 200 ? streak + 1 : 0;
    if (status !== 200) await new Promise((r) => setTimeout(r, 100));
  }
  return { child, baseUrl, readyMs: performance.now() - started };
}

/** Sends SIGTERM, waits up to `timeoutMs` for the exit, then SIGKILL. Only this process (and what it stops itself). */
export async function stopProcess(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  await exited;
  clearTimeout(timer);
}

/** What one load test measured. */
export interface LoadFigures {
  requestsPerSecond: number;
  /** Latencies in ms. */
  p50: number;
  p90: number;
  p99: number;
  max: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

/**
 * Drives `baseUrl` with autocannon for `seconds` seconds and `connections`
 * connections, each request taking the next path of `paths` (cycling).
 */
export async function runLoad(
  baseUrl: string,
  paths: readonly string[],
  seconds: number,
  connections: number,
): Promise<LoadFigures> {
  let next = 0;
  const result = await autocannon({
    url: baseUrl,
    connections,
    duration: seconds,
    timeout: 30,
    requests: [
      {
        method: 'GET',
        setupRequest: (request) => ({ ...request, path: paths[next++ % paths.length]! }),
      },
    ],
  });
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}
