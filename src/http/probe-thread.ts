import { Worker } from 'node:worker_threads';

/** Seconds without a heartbeat from the main event loop after which liveness fails. */
export const STUCK_AFTER_S = 10;

const STATE_LOADING = 0;
const STATE_READY = 1;
const STATE_STOPPING = 2;

/**
 * The probe server, run in a worker thread. Plain JavaScript evaluated as a
 * string, so the thread starts the same from `dist/` and under tsx. It reads
 * the service's state from shared memory and never waits for the main thread:
 * `GET /health` (readiness) and `GET /health/live` (liveness: fails once the
 * main loop has sent no heartbeat for STUCK_AFTER_S seconds) answer at once
 * however busy the searches keep the main thread.
 */
const PROBE_SERVER_SOURCE = `
const http = require('node:http');
const { workerData, parentPort } = require('node:worker_threads');
const ints = new Int32Array(workerData.shared, 0, 4);
const beat = new Float64Array(workerData.shared, 16, 1);
const send = (res, status, body) => {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...(status === 503 ? { 'Retry-After': '5' } : {}) });
  res.end(JSON.stringify(body));
};
const server = http.createServer({ headersTimeout: 5000, requestTimeout: 10000 }, (req, res) => {
  const path = (req.url || '').split('?')[0];
  const blockedMs = Math.max(0, Date.now() - beat[0]);
  const stuck = blockedMs > ${STUCK_AFTER_S * 1000};
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { message: 'Use GET.', code: 'method_not_allowed', type: 'invalid_request' });
  if (path === '/health/live') return send(res, stuck ? 503 : 200, { status: stuck ? 'stuck' : 'alive', eventLoopBlockedMs: Math.round(blockedMs) });
  if (path === '/health') {
    const state = Atomics.load(ints, 0);
    if (state === ${STATE_STOPPING}) return send(res, 503, { status: 'stopping' });
    if (state === ${STATE_LOADING}) return send(res, 503, { status: 'loading' });
    return send(res, 200, { status: 'ready', articles: Atomics.load(ints, 1), paragraphs: Atomics.load(ints, 2), eventLoopBlockedMs: Math.round(blockedMs) });
  }
  send(res, 404, { message: 'The admin port answers GET /health and /health/live only; /metrics is on the main port.', code: 'route_not_found', type: 'invalid_request' });
});
server.on('error', (error) => parentPort.postMessage({ error: error.message }));
server.listen(workerData.port, workerData.host, () => parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', (m) => { if (m === 'close') server.close(() => process.exit(0)); });
`;

/** The probe thread: its port, and the setters the main thread calls. */
export interface ProbeThread {
  /** The port it listens on. */
  port: number;
  /** The index serves `articles` and `paragraphs`. */
  setReady: (articles: number, paragraphs: number) => void;
  /** Shutdown began: readiness answers 503 `stopping`. */
  setStopping: () => void;
  /** Stops the thread's server and the heartbeat. */
  close: () => Promise<void>;
}

/**
 * Starts the probe server of `ADMIN_PORT` in a worker thread, so that
 * `/health` and `/health/live` stay prompt when searches saturate the main
 * event loop (a busy Node server accepts about one waiting connection per turn
 * of its loop, so probes on the main port wait behind a flood). The main loop
 * writes a heartbeat into shared memory every 250 ms; liveness fails when it
 * stops for {@link STUCK_AFTER_S} seconds. Rejects if the port cannot be bound.
 */
export async function startProbeThread(port: number, host: string): Promise<ProbeThread> {
  const shared = new SharedArrayBuffer(24);
  const ints = new Int32Array(shared, 0, 4);
  const beat = new Float64Array(shared, 16, 1);
  beat[0] = Date.now();
  const heartbeat = setInterval(() => (beat[0] = Date.now()), 250);
  heartbeat.unref();
  const worker = new Worker(PROBE_SERVER_SOURCE, { eval: true, workerData: { shared, port, host } });
  worker.unref();
  try {
    const listening = await new Promise<number>((resolve, reject) => {
      worker.once('message', (m: { port?: number; error?: string }) =>
        m.port !== undefined ? resolve(m.port) : reject(new Error(m.error)),
      );
      worker.once('error', reject);
    });
    return {
      port: listening,
      setReady: (articles, paragraphs) => {
        Atomics.store(ints, 1, articles);
        Atomics.store(ints, 2, paragraphs);
        Atomics.store(ints, 0, STATE_READY);
      },
      setStopping: () => Atomics.store(ints, 0, STATE_STOPPING),
      close: async () => {
        clearInterval(heartbeat);
        worker.postMessage('close');
        await new Promise((resolve) => worker.once('exit', resolve));
      },
    };
  } catch (error) {
    clearInterval(heartbeat);
    await worker.terminate();
    throw error;
  }
}
