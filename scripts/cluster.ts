/**
 * `npm run cluster -- --nodes 3 [--import DIR]`: starts a throwaway PostgreSQL
 * (temp folder, 127.0.0.1), N search nodes following it and nginx in front
 * (`docs/nginx.conf`), imports a corpus folder into the store (default the
 * repository's `corpus/`), prints one line per URL and the admin key, and stops
 * everything it started on Ctrl-C or SIGTERM.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { findNginx } from './cluster/nginx-config.js';
import { startCluster } from './cluster/start-cluster.js';
import { findPostgresBin } from './cluster/temp-postgres.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(name);
  return at >= 0 && process.argv[at + 1] ? process.argv[at + 1]! : fallback;
}

const nodes = Number(option('--nodes', '3'));
if (!Number.isInteger(nodes) || nodes < 1 || nodes > 16) {
  console.error('--nodes must be an integer from 1 to 16');
  process.exit(2);
}
const nginxBin = findNginx();
if (!findPostgresBin() || !nginxBin) {
  console.error('needs PostgreSQL (Debian package `postgresql`, or PG_BIN) and nginx (package `nginx`, or NGINX_BIN)');
  process.exit(1);
}

// Nodes start once the store holds the corpus, so they start caught up.
const cluster = await startCluster({ nodes, startNodes: 0, nginxBin }).catch((error: unknown) => {
  console.error(`could not start: ${(error as Error).message}`);
  process.exit(1);
});
let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.error(`${signal}: stopping nginx, ${nodes} node(s) and PostgreSQL`);
  await cluster.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
try {
  const corpus = option('--import', `${ROOT}corpus`);
  const imported = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', 'import', '--corpus', corpus], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: cluster.postgres.url },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (imported.status !== 0) throw new Error('the import failed');
  await Promise.all(cluster.nodes.map((n) => n.start()));
} catch (error) {
  console.error(`could not start: ${(error as Error).message}`);
  await cluster.stop();
  process.exit(1);
}
console.log(`nginx ${cluster.nginxUrl}`);
for (const node of cluster.nodes) console.log(`${node.name} ${node.url}`);
console.log(`admin key ${cluster.adminKey}`);
console.log(`postgres ${cluster.postgres.url}`);
console.error('Ctrl-C stops everything.');
