/**
 * Query latency over HTTP, one request at a time on one keep-alive connection
 * (I/O): what a single user's search box sees, server work plus loopback, with no
 * queueing behind other requests. Used by the scale bench for our service and the
 * FTS5 server alike, so their figures compare.
 */
import http from 'node:http';

/** Per-request times (ms) in `paths` order, and how many answers were not 200. */
export interface TimedRequests {
  ms: number[];
  non200: number;
}

/** GETs each of `paths` on `baseUrl` in turn, reading each body to the end; a request past `timeoutMs` counts as not 200. */
export async function timeRequests(
  baseUrl: string,
  paths: readonly string[],
  timeoutMs = 30_000,
): Promise<TimedRequests> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const ms: number[] = [];
  let non200 = 0;
  try {
    for (const p of paths) {
      const t = performance.now();
      const status = await new Promise<number>((resolve) => {
        const req = http.get(`${baseUrl}${p}`, { agent, timeout: timeoutMs }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('timeout', () => req.destroy());
        req.on('error', () => resolve(0));
      });
      ms.push(performance.now() - t);
      if (status !== 200) non200++;
    }
  } finally {
    agent.destroy();
  }
  return { ms, non200 };
}
