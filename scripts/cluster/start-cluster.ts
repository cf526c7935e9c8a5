import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../bench/lib/load-test.js';
import { startNginx } from './nginx-config.js';
import { startTempPostgres, type TempPostgres } from './temp-postgres.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** One search node: its own port, index cache and mirror journal. */
export interface ClusterNode {
  name: string;
  port: number;
  url: string;
  dir: string;
  child: ChildProcess | null;
  /** Standard error of the current process (its log lines). */
  log: string;
  /** Starts the node (again); resolves once its log says `ready:`. */
  start(): Promise<void>;
  /** Sends a signal (SIGKILL: a crash) and waits for the exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** A throwaway cluster: PostgreSQL, N nodes, nginx in front, on 127.0.0.1. */
export interface Cluster {
  postgres: TempPostgres;
  nodes: ClusterNode[];
  nginxUrl: string;
  adminKey: string;
  /** nginx's error log so far (what it tried, and why it gave up on a node). */
  nginxErrors(): string;
  /** Stops nginx, the nodes and PostgreSQL, and removes the temp folder. */
  stop(): Promise<void>;
}

export interface ClusterOptions {
  nodes: number;
  nginxBin: string;
  /** Environment for every node (e.g. `QUERY_CACHE`; `LOG_LEVEL` is always `info`). */
  env?: Record<string, string>;
  /** Nodes started at once (the others are made but not started: `node.start()`); default all. */
  startNodes?: number;
  /** How many of the nodes nginx sends requests to (the first ones); default all. */
  behindNginx?: number;
  /** Called with a progress line. */
  log?: (line: string) => void;
}

/** Waits for a process to exit (at once when it already has). */
function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** SIGTERM, then SIGKILL after 10 s: resolves once the process is gone. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited(child);
  clearTimeout(timer);
}

function makeNode(name: string, port: number, dir: string, env: Record<string, string>): ClusterNode {
  const node: ClusterNode = {
    name,
    port,
    url: `http://127.0.0.1:${port}`,
    dir,
    child: null,
    log: '',
    start() {
      node.log = '';
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], {
        cwd: ROOT,
        // LOG_LEVEL info at least: readiness is read from the `ready:` log line.
        env: {
          ...process.env,
          LOG_FORMAT: 'json',
          WATCH: 'false',
          ...env,
          LOG_LEVEL: 'info',
          PORT: String(port),
          INDEX_CACHE_DIR: path.join(dir, 'index-cache'),
          JOURNAL_DIR: path.join(dir, 'journal'),
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      node.child = child;
      return new Promise<void>((resolve, reject) => {
        child.stderr!.on('data', (d) => {
          node.log += d;
          if (/"ready: /.test(node.log)) resolve();
        });
        child.once('exit', (code, signal) =>
          reject(new Error(`${name} exited (${signal ?? code}) before it was ready:\n${node.log.slice(-2000)}`)),
        );
      });
    },
    async kill(signal: NodeJS.Signals = 'SIGTERM') {
      const child = node.child;
      if (!child) return;
      child.kill(signal);
      await exited(child);
    },
  };
  return node;
}

/** Starts PostgreSQL, the nodes (in parallel) and nginx; stops what started when a step fails. */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const log = options.log ?? (() => {});
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nrs-cluster-'));
  const adminKey = `cluster-${randomBytes(12).toString('hex')}`;
  const postgres = await startTempPostgres();
  log(`postgres ${postgres.url}`);
  const nodes: ClusterNode[] = [];
  let nginx: ChildProcess | null = null;
  // Whatever died already (a node, nginx, PostgreSQL after a Ctrl-C to the whole process group),
  // each step runs and the folder goes: a step that fails or hangs does not keep the others from it.
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  process.once('exit', removeDir);
  const stop = async () => {
    const steps = [
      async () => {
        if (nginx) await stopChild(nginx);
      },
      async () => {
        await Promise.all(nodes.map((n) => (n.child ? stopChild(n.child) : undefined)));
      },
      async () => postgres.destroy(),
    ];
    for (const step of steps)
      await step().catch((error: unknown) => log(`while stopping: ${(error as Error).message}`));
    removeDir();
    process.off('exit', removeDir);
  };
  try {
    const env = { DATABASE_URL: postgres.url, ADMIN_API_KEY: adminKey, ...options.env };
    for (let i = 1; i <= options.nodes; i++)
      nodes.push(makeNode(`node${i}`, await freePort(), path.join(dir, `node${i}`), env));
    await Promise.all(nodes.slice(0, options.startNodes ?? nodes.length).map((n) => n.start()));
    const nginxPort = await freePort();
    nginx = await startNginx(
      options.nginxBin,
      nodes.slice(0, options.behindNginx ?? nodes.length).map((n) => n.port),
      nginxPort,
      path.join(dir, 'nginx'),
    );
    const nginxErrors = () => {
      try {
        return readFileSync(path.join(dir, 'nginx', 'error.log'), 'utf8');
      } catch {
        return '';
      }
    };
    return { postgres, nodes, nginxUrl: `http://127.0.0.1:${nginxPort}`, adminKey, nginxErrors, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
