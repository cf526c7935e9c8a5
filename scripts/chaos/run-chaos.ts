import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../bench/lib/load-test.js';
import { startCluster, type Cluster } from '../cluster/start-cluster.js';
import { WriteHistory, type HistorySummary, type Violation } from './write-history.js';
import { readStates, runWriteLoad, unsearchable } from './write-load.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SEED = path.join(ROOT, 'corpus', 'haiti-soldiers-mexico-training.txt');

/** What to break, and for how long. */
export interface ChaosOptions {
  /** One service process (`node`, with `workers` processes), or PostgreSQL + `nodes` nodes behind nginx (`cluster`). */
  mode: 'node' | 'cluster';
  seconds: number;
  /** `kill -9`s of the node (or of a random node of the cluster), each followed by a restart. */
  kills: number;
  /** Cluster only: PostgreSQL stopped (`pg_ctl stop -m fast`) and started again this many times. */
  storeRestarts?: number;
  nodes?: number;
  workers?: number;
  /** Ids written, and writes in flight. */
  ids?: number;
  concurrency?: number;
  /** nginx, for the cluster. */
  nginxBin?: string;
  log?: (line: string) => void;
}

/** What a run found. */
export interface ChaosReport {
  mode: 'node' | 'cluster';
  seconds: number;
  kills: number;
  storeRestarts: number;
  history: HistorySummary;
  violations: Violation[];
  /** Searches sent while the faults ran (cluster: through nginx), and those not answered 200. */
  reads: { sent: number; failed: number; failures: Record<string, number> };
  /** Nodes that exited without being killed by the run (a crash). */
  crashes: string[];
  /** What each node's `/health` said of the store (`store.state`) while PostgreSQL was down. */
  storeStateWhileDown: string[];
}

/** A process the run can kill and start again on the same port and folders. */
interface Target {
  name: string;
  url: string;
  start(): Promise<void>;
  kill9(): Promise<void>;
}

/**
 * The searches' time budget on the nodes under test: the check asks whether a version can be found,
 * not how fast; on a loaded machine the default 100 ms can cut a search short (`exhaustive: false`).
 */
const SEARCH_BUDGET_MS = '10000';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** One service process over its own folders, with writes on. */
async function singleNode(
  dir: string,
  adminKey: string,
  workers: number,
  crashes: string[],
): Promise<Target & { stop(): Promise<void> }> {
  const corpusDir = path.join(dir, 'corpus');
  mkdirSync(corpusDir, { recursive: true });
  cpSync(SEED, path.join(corpusDir, path.basename(SEED)));
  const port = await freePort();
  let child: ChildProcess | null = null;
  let killing = false;
  const target = {
    name: 'node',
    url: `http://127.0.0.1:${port}`,
    async start() {
      const env = {
        ...process.env,
        SEARCH_BUDGET_MS,
        ADMIN_API_KEY: adminKey,
        PORT: String(port),
        LOG_FORMAT: 'json',
        LOG_LEVEL: 'info',
        WORKERS: String(workers),
        WATCH: 'false',
      };
      const started = spawn(
        process.execPath,
        ['--import', 'tsx', 'src/main.ts', 'serve', '--corpus', corpusDir, '--cache', path.join(dir, 'cache')],
        { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'], detached: true },
      );
      child = started;
      let log = '';
      await new Promise<void>((resolve, reject) => {
        started.stderr!.on('data', (d) => {
          log += d;
          if ((log.match(/"ready: /g) ?? []).length >= workers) resolve();
        });
        started.once('exit', (code, signal) => {
          if (!killing) crashes.push(`node exited (${signal ?? code}): ${log.slice(-500)}`);
          reject(new Error(`the node exited (${signal ?? code}) before it was ready: ${log.slice(-1000)}`));
        });
      });
    },
    async kill9() {
      if (!child) return;
      killing = true;
      // With workers, the whole group: the primary and its workers die at once, as with a power cut.
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
      child.kill('SIGKILL');
      await exited(child);
      killing = false;
    },
    async stop() {
      if (!child) return;
      killing = true;
      child.kill('SIGTERM');
      await exited(child);
    },
  };
  return target;
}

/** Sends searches one after another until `until`, counting answers that are not 200. */
async function readLoop(url: string, until: () => number, reads: ChaosReport['reads']): Promise<void> {
  const words = ['haiti', 'displaced', 'chaos', 'version', 'article', 'kenyan police'];
  for (let i = 0; Date.now() < until(); i++) {
    reads.sent++;
    let answer: string;
    try {
      const res = await fetch(`${url}/search?q=${encodeURIComponent(words[i % words.length]!)}`, {
        signal: AbortSignal.timeout(5_000),
      });
      await res.arrayBuffer();
      answer = String(res.status);
    } catch (error) {
      answer = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    }
    if (answer !== '200') {
      reads.failed++;
      reads.failures[answer] = (reads.failures[answer] ?? 0) + 1;
    }
    await sleep(20);
  }
}

/** Polls until `read` gives the same states twice in a row (the node caught up), for at most `ms`. */
async function settledStates(
  read: () => Promise<Map<string, string | null>>,
  ms: number,
): Promise<Map<string, string | null>> {
  const deadline = Date.now() + ms;
  let previous: string | null = null;
  for (;;) {
    const states = await read().catch(() => null);
    const text = states ? JSON.stringify([...states]) : null;
    if (states && text === previous) return states;
    if (Date.now() > deadline) {
      if (states) return states;
      throw new Error('the archive did not answer within the deadline');
    }
    previous = text;
    await sleep(500);
  }
}

/**
 * Runs concurrent writes for `seconds` while killing (`kill -9`) and restarting
 * the node(s) `kills` times and (cluster) PostgreSQL `storeRestarts` times,
 * then checks every id on every node against the acknowledged history (see
 * `WriteHistory`), and that each present version is found by a search.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const log = options.log ?? (() => {});
  const tag = randomBytes(3)
    .toString('hex')
    .replace(/[0-9]/g, (d) => String.fromCharCode(103 + Number(d)));
  const history = new WriteHistory();
  const reads: ChaosReport['reads'] = { sent: 0, failed: 0, failures: {} };
  const crashes: string[] = [];
  const storeStateWhileDown: string[] = [];
  /** Nodes this run is killing now (their exit is not a crash). */
  const killing = new Set<string>();
  /** Set once the run stops everything: exits from then on are expected. */
  let finished = false;
  const storeRestarts = options.mode === 'cluster' ? (options.storeRestarts ?? 0) : 0;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nrs-chaos-'));
  let cluster: Cluster | null = null;
  let single: Awaited<ReturnType<typeof singleNode>> | null = null;
  try {
    let targets: Target[];
    let writeUrl: string;
    let adminKey: string;
    if (options.mode === 'cluster') {
      if (!options.nginxBin) throw new Error('the cluster mode needs nginx');
      cluster = await startCluster({
        nodes: options.nodes ?? 3,
        nginxBin: options.nginxBin,
        log,
        env: { SEARCH_BUDGET_MS: SEARCH_BUDGET_MS },
      });
      adminKey = cluster.adminKey;
      writeUrl = cluster.nginxUrl;
      targets = cluster.nodes.map((node) => {
        const watch = () =>
          node.child?.once('exit', (code, signal) => {
            if (!killing.has(node.name) && !finished)
              crashes.push(`${node.name} exited (${signal ?? code}): ${node.log.slice(-500)}`);
          });
        watch();
        return {
          name: node.name,
          url: node.url,
          start: async () => {
            await node.start();
            watch();
          },
          kill9: async () => {
            killing.add(node.name);
            await node.kill('SIGKILL');
            killing.delete(node.name);
          },
        };
      });
    } else {
      adminKey = `chaos-${randomBytes(12).toString('hex')}`;
      single = await singleNode(dir, adminKey, options.workers ?? 1, crashes);
      await single.start();
      targets = [single];
      writeUrl = single.url;
    }
    const started = Date.now();
    // Writes and reads go on until the last fault is over (restarts can take longer than planned), and 2 s more.
    let end = Number.POSITIVE_INFINITY;
    const until = () => end;
    const load = runWriteLoad({
      baseUrl: writeUrl,
      adminKey,
      ids: options.ids ?? 40,
      concurrency: options.concurrency ?? 8,
      until,
      history,
      tag,
      retryUnknownMs: 10_000,
    });
    const reading = options.mode === 'cluster' ? readLoop(writeUrl, until, reads) : Promise.resolve();
    // The faults, spread over the run: kills and store restarts interleaved.
    const faults: ('kill' | 'store')[] = [
      ...Array<'kill'>(options.kills).fill('kill'),
      ...Array<'store'>(storeRestarts).fill('store'),
    ];
    for (let i = faults.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [faults[i], faults[j]] = [faults[j]!, faults[i]!];
    }
    const step = (options.seconds * 1000) / (faults.length + 1);
    for (let i = 0; i < faults.length; i++) {
      const at = started + step * (i + 1) + (Math.random() - 0.5) * step * 0.5;
      await sleep(Math.max(0, at - Date.now()));
      if (faults[i] === 'kill') {
        const target = targets[Math.floor(Math.random() * targets.length)]!;
        log(`kill -9 ${target.name}`);
        await target.kill9();
        await sleep(Math.random() * 300);
        await target.start();
        log(`${target.name} ready again`);
        // Some time up between two faults, however long the restart took: writes must get through too.
        await sleep(1500);
      } else {
        log('PostgreSQL: stop -m fast');
        cluster!.postgres.stop('fast');
        await sleep(1500 + Math.random() * 1500);
        for (const node of cluster!.nodes) {
          const health = await fetch(`${node.url}/health`, { signal: AbortSignal.timeout(5_000) })
            .then((r) => r.json() as Promise<{ store?: { state?: string } }>)
            .catch(() => null);
          storeStateWhileDown.push(`${node.name}: ${health?.store?.state ?? 'no answer'}`);
        }
        cluster!.postgres.start();
        log('PostgreSQL: started again');
      }
    }
    end = Math.max(started + options.seconds * 1000, Date.now() + 2_000);
    await Promise.all([load, reading]);
    // Every node must end in a state the acknowledged history allows, and find what it holds.
    const violations: Violation[] = [];
    const ids = history.ids();
    for (const target of targets) {
      const states = await settledStates(() => readStates(target.url, ids, tag), 30_000);
      for (const v of history.check(states)) violations.push({ ...v, detail: `${target.name}: ${v.detail}` });
      for (const { id, answer } of await unsearchable(target.url, states)) {
        violations.push({
          id,
          kind: 'not_searchable',
          detail: `${target.name}: a search for its version ${states.get(id)} does not find it (${answer})`,
        });
      }
    }
    // A takedown answered 404 is checked once (answers came through one door), not per node.
    const seen = new Set<string>();
    const unique = violations.filter((v) => {
      const key =
        v.kind === 'takedown_answered_404' ? `${v.kind} ${v.id} ${v.detail.replace(/^\w+: /, '')}` : `${v.detail}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    return {
      mode: options.mode,
      seconds: options.seconds,
      kills: options.kills,
      storeRestarts,
      history: history.summary(),
      violations: unique,
      reads,
      crashes,
      storeStateWhileDown,
    };
  } finally {
    finished = true;
    await single?.stop().catch(() => {});
    await cluster?.stop().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
}
