/**
 * `npm run chaos [-- --mode node|cluster|both] [--seconds 120] [--kills 20] [--store-restarts 2] [--workers 1]`:
 * the fault suite's long run. Concurrent PUTs and DELETEs with a unique token per
 * version, `kill -9`s and restarts of the node (or of random nodes of a
 * three-node cluster behind nginx) and PostgreSQL restarts, then every id
 * checked on every node against the acknowledged history. Prints a summary per
 * mode and the violations; exits 1 when there is any.
 */
import { findNginx } from './cluster/nginx-config.js';
import { findPostgresBin } from './cluster/temp-postgres.js';
import { runChaos, type ChaosReport } from './chaos/run-chaos.js';

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(name);
  return at >= 0 && process.argv[at + 1] ? process.argv[at + 1]! : fallback;
}

const mode = option('--mode', 'both');
const seconds = Number(option('--seconds', '120'));
const kills = Number(option('--kills', '20'));
const storeRestarts = Number(option('--store-restarts', '2'));
const workers = Number(option('--workers', '1'));
const log = (line: string) => console.error(`${new Date().toISOString().slice(11, 19)} ${line}`);

function summary(report: ChaosReport): string {
  const h = report.history;
  const reads =
    report.mode === 'cluster'
      ? `; reads through nginx ${report.reads.sent}, not 200: ${report.reads.failed} ${JSON.stringify(report.reads.failures)}`
      : '';
  return `${report.mode}: ${report.seconds} s, ${report.kills} kill -9, ${report.storeRestarts} PostgreSQL restarts; writes ${h.writes} (acknowledged ${h.ok}, failed ${h.failed}, unknown ${h.unknown}, retried ${h.retried})${reads}; crashes ${report.crashes.length}; violations ${report.violations.length}`;
}

const reports: ChaosReport[] = [];
if (mode === 'node' || mode === 'both') reports.push(await runChaos({ mode: 'node', seconds, kills, workers, log }));
if (mode === 'cluster' || mode === 'both') {
  const nginxBin = findNginx();
  if (!nginxBin || !findPostgresBin())
    console.error('cluster: skipped, needs PostgreSQL (package `postgresql`) and nginx (package `nginx`)');
  else reports.push(await runChaos({ mode: 'cluster', seconds, kills, storeRestarts, nodes: 3, nginxBin, log }));
}
let bad = 0;
for (const report of reports) {
  console.log(summary(report));
  for (const v of report.violations.slice(0, 20)) console.log(`  ${v.kind} ${v.id}: ${v.detail}`);
  for (const c of report.crashes.slice(0, 5)) console.log(`  crash: ${c}`);
  bad += report.violations.length + report.crashes.length;
}
process.exit(bad > 0 ? 1 : 0);
