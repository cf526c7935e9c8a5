import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { execFileSync } from 'node:child_process';
import { syntheticArticles } from '../test/helpers/synthetic-articles.js';
import { buildService, indexCommand, serveCommand } from './lib/engine-adapter.js';
import { freePort, startServerProcess, stopProcess } from './lib/load-test.js';
import { median } from './lib/percentile.js';
const ROOT = process.cwd();
buildService(ROOT);
const corpus = '/tmp/instant-c/corpus';
mkdirSync(corpus, { recursive: true });
writeFileSync(`${corpus}/a.ndjson`, syntheticArticles(3000).map((a) => JSON.stringify({ ...a, file: undefined })).join('\n') + '\n');
const ix = indexCommand(ROOT, corpus, '/tmp/instant-c/cache');
execFileSync(ix.program, ix.args, { cwd: ROOT, stdio: 'ignore' });
const port = await freePort();
const sv = serveCommand(ROOT, corpus, '/tmp/instant-c/cache', port);
const svc = await startServerProcess(sv.program, [...sv.args, '--analytics', 'false', '--watch', 'false'], { env: process.env, cwd: ROOT, port, timeoutMs: 120000 });
const b = svc.baseUrl;
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const send = (path: string, body?: string): Promise<number> => new Promise((resolve, reject) => {
  const t = performance.now();
  const headers: Record<string, string | number> = body === undefined ? {} : { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(body) };
  const req = http.request(`${b}${path}`, { agent, method: body === undefined ? 'GET' : 'POST', headers }, (res) => { res.resume(); res.on('end', () => resolve(performance.now() - t)); });
  req.on('error', reject); req.end(body);
});
const q = process.argv[2] ?? 'flood';
const V: Record<string, () => Promise<number>> = {
  S: () => send(`/search?q=${q}&hitsPerPage=20&snippetsPerArticle=1`),
  A: () => send(`/1/indexes/articles/query`, JSON.stringify({ query: q, hitsPerPage: 20, attributesToSnippet: ['text:30'] })),
  N: () => send(`/1/indexes/articles/query`, JSON.stringify({ query: q, hitsPerPage: 20, attributesToHighlight: [] })),
  Z: () => send(`/1/indexes/articles/query`, JSON.stringify({ query: q, hitsPerPage: 0 })),
  SZ: () => send(`/search?q=${q}&hitsPerPage=1&snippetsPerArticle=1`),
  L: () => send(`/health/live`),
  E: () => send(`/analytics/events`, JSON.stringify({ events: [] })),
};
const res: Record<string, number[]> = {};
for (let i = 0; i < 300; i++) for (const [k, f] of Object.entries(V)) { const ms = await f().catch(() => -1); if (i > 30) (res[k] ??= []).push(ms); }
console.log(Object.fromEntries(Object.entries(res).map(([k, v]) => [k, median(v).toFixed(2)])));
agent.destroy();
await stopProcess(svc.child, 5000);
