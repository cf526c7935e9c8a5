/**
 * CPU time of the HTTP path alone (`npx tsx bench/http-overhead.ts --corpus DIR --cache DIR`):
 * serves the app as `npm start` wires it (`createApp`, access log at `warn`, metrics, no
 * query cache) in this process and sends it, from this process, requests whose search
 * costs next to nothing (`q` a word no article holds, so the response is small and the
 * engine does one dictionary lookup), one at a time on a keep-alive connection; then the
 * same with `searchArchive` itself called directly for each query, so the difference is
 * the framework, logging, metrics and socket. Reports CPU ms per request (user + system
 * of this process: unlike the wall clock it does not count time other processes hold
 * the cores) as the median of `--rounds` rounds (default 5) of `--requests` (default 2000).
 */
import http from 'node:http';
import { once } from 'node:events';
import path from 'node:path';
import { createApp } from '../src/http/create-app.js';
import { createMetrics } from '../src/http/metrics.js';
import { parseQueryString } from '../src/http/parse-query-string.js';
import { readSearchParams } from '../src/http/read-search-params.js';
import { openIndex } from '../src/index/open-index.js';
import { createLogger } from '../src/log/create-logger.js';
import { searchArchive } from '../src/query/search-archive.js';
import { flag } from './lib/cli-flag.js';
import { percentile } from './lib/percentile.js';

const rounds = Number(flag('--rounds', '5'));
const requests = Number(flag('--requests', '2000'));
const { index } = await openIndex({
  corpusDir: path.resolve(flag('--corpus')),
  cacheDir: path.resolve(flag('--cache')),
  readOnly: true,
});
const app = createApp({
  getIndex: () => index,
  logger: createLogger({ level: 'warn' }),
  metrics: createMetrics({ getIndex: () => index }),
  searchBudgetMs: 60_000,
});
const server = http.createServer(app);
server.listen(0, '127.0.0.1');
await once(server, 'listening');
const address = server.address();
const port = typeof address === 'object' && address ? address.port : 0;
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const url = '/search?q=qqqzzzxxx&typos=off';

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const get = () =>
  new Promise<void>((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: url, agent }, (res) => {
        res.resume();
        res.on('end', resolve);
      })
      .on('error', reject);
  });

const overHttp: number[] = [];
const direct: number[] = [];
const params = readSearchParams(parseQueryString(url));
for (let r = 0; r < rounds + 1; r++) {
  let t = cpu();
  for (let i = 0; i < requests; i++) await get();
  const h = (cpu() - t) / requests;
  t = cpu();
  for (let i = 0; i < requests; i++) JSON.stringify(searchArchive(index, params));
  const d = (cpu() - t) / requests;
  // The first round warms the code paths up; it is not counted.
  if (r > 0) {
    overHttp.push(h);
    direct.push(d);
  }
}
agent.destroy();
server.close();
const h = percentile(overHttp, 50);
const d = percentile(direct, 50);
console.log(
  `CPU per request over HTTP (client + server): ${(h * 1000).toFixed(0)} µs; the search and JSON alone: ${(d * 1000).toFixed(0)} µs; the HTTP path: ${((h - d) * 1000).toFixed(0)} µs`,
);
process.exit(0);
