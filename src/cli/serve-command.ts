import cluster from 'node:cluster';
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { createApp } from '../http/create-app.js';
import type { ArchiveIndex } from '../index/archive-index.js';
import { openIndex, type OpenIndexResult } from '../index/open-index.js';
import { cachedSearch } from '../query/cached-search.js';
import { searchArchive } from '../query/search-archive.js';
import type { CliSettings } from './parse-args.js';
import { progressReporter, type Output } from './index-command.js';
import { openIndexSettings } from './open-index-settings.js';

/** The UI's static files, shipped in the repository. */
export const PUBLIC_DIR = fileURLToPath(new URL('../../public/', import.meta.url));

/** A running service. */
export interface RunningServer {
  server: Server;
  /** The URL it listens on. */
  url: string;
  /** Resolves once the index is loaded (or rejects if the corpus cannot be read). */
  ready: Promise<OpenIndexResult>;
  /** Stops taking connections, lets requests in flight finish, then resolves. */
  close: () => Promise<void>;
}

function describe(result: OpenIndexResult): string {
  const problems = result.problems.length ? `, ${result.problems.length} problem(s) in the corpus (run \`npm run index\` to list them)` : '';
  return `${result.index.articleCount} articles, ${result.index.paragraphCount} paragraphs; index ${result.state} in ${(result.timings.totalMs / 1000).toFixed(2)} s (${result.reason})${problems}`;
}

/**
 * Starts the HTTP service: listens at once (so `/health` answers 503 while the
 * index loads), then loads or builds the index and starts answering searches.
 */
export async function startServer(settings: CliSettings, output: Output): Promise<RunningServer> {
  let index: ArchiveIndex | null = null;
  let opened: OpenIndexResult | null = null;
  const search = cachedSearch(searchArchive, settings.queryCache);
  const app = createApp({
    getIndex: () => index,
    publicDir: PUBLIC_DIR,
    corsOrigins: settings.corsOrigins,
    search,
    status: () => ({
      ...(opened ? { index: opened.state, snapshotSaved: opened.saved, problems: opened.problems.length } : {}),
      queryCache: { size: settings.queryCache, ...search.stats() },
      pid: process.pid,
    }),
  });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(settings.port, settings.host, () => resolve(s));
    s.once('error', reject);
  });
  // Requests Node rejects before Express sees them (a header over 16 KB, a malformed
  // request line) still get a JSON error body in the contract's shape.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return socket.destroy();
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    const status = tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request';
    const body = JSON.stringify({
      message: tooLarge ? 'The request line or headers are too large (16 KB at most).' : 'The request is malformed.',
      code: tooLarge ? 'request_too_large' : 'malformed_request',
      type: 'invalid_request',
    });
    socket.end(`HTTP/1.1 ${status}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
  // Bound how long a slow client can hold a connection.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  server.keepAliveTimeout = 5_000;
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : settings.port;
  const host = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
  const url = `http://${host}:${port}`;
  const label = cluster.isWorker ? `worker ${process.pid}: ` : '';
  output.err(`${label}listening on ${url} (loading the index of ${settings.corpusDir}…)\n`);

  const ready = openIndex({
    ...openIndexSettings(settings),
    log: (line) => output.err(`${label}${line}\n`),
    onProgress: progressReporter({ ...output, isTTY: false }),
  }).then((result) => {
    index = result.index;
    opened = result;
    output.err(`${label}ready: ${describe(result)}\n`);
    output.out(`${label}search: ${url}/search?q=displaced\n`);
    return result;
  });

  const close = () =>
    new Promise<void>((resolve) => {
      // Connections that finish their request during the drain go idle, not closed:
      // close idle ones as they appear, so the process exits right after the last response.
      const sweep = setInterval(() => server.closeIdleConnections(), 50);
      server.close(() => {
        clearInterval(sweep);
        resolve();
      });
      server.closeIdleConnections();
      // Requests still running after 10 s are cut off.
      setTimeout(() => server.closeAllConnections(), 10_000).unref();
    });
  return { server, url, ready, close };
}

/**
 * Builds or updates the index cache and returns a one-line description. The
 * index itself is dropped when this returns: the primary of a cluster answers
 * no query, so it should not hold a copy of the index for its whole life.
 */
async function prepareCache(settings: CliSettings, output: Output): Promise<string> {
  const result = await openIndex({
    ...openIndexSettings(settings),
    log: (line) => output.err(`${line}\n`),
    onProgress: progressReporter({ ...output, isTTY: false }),
  });
  return describe(result);
}

/**
 * Runs the service with `settings.workers` processes sharing the port (Node's
 * cluster). The primary builds or updates the index cache first, so each worker
 * then starts from the snapshot; each worker holds its own copy of the index.
 */
export async function runCluster(settings: CliSettings, output: Output): Promise<void> {
  output.err(`primary: ${await prepareCache(settings, output)}; starting ${settings.workers} workers\n`);
  for (let i = 0; i < settings.workers; i++) cluster.fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    output.err(`worker ${worker.process.pid} exited (${signal ?? code}); starting another\n`);
    cluster.fork();
  });
  let stopping = false;
  const stop = () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  await new Promise<void>((resolve) => {
    const check = () => {
      if (stopping && Object.keys(cluster.workers ?? {}).length === 0) resolve();
    };
    cluster.on('exit', check);
  });
}
