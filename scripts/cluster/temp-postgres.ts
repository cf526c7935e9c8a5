import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../bench/lib/load-test.js';

/**
 * A throwaway PostgreSQL cluster in a temp folder, on 127.0.0.1, for the
 * cluster script, its tests and the benchmark. PostgreSQL refuses to run as
 * root: as root, it runs as the `postgres` user (or `nobody`) through `runuser`.
 * Authentication is `trust` on loopback: it is a throwaway, never a deployment.
 */
export interface TempPostgres {
  url: string;
  port: number;
  dir: string;
  /** Stops the server (`fast`: ends sessions; `immediate`: like a crash). */
  stop(mode?: 'fast' | 'immediate'): void;
  /** Starts it again on the same port and folder. */
  start(): void;
  /** Stops it and removes its folder. */
  destroy(): void;
}

/** The folder holding `initdb` and `pg_ctl` (`PG_BIN`, `pg_config --bindir`, or the newest under /usr/lib/postgresql), or null. */
export function findPostgresBin(env: NodeJS.ProcessEnv = process.env): string | null {
  const has = (dir: string) => existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'pg_ctl'));
  if (env['PG_BIN'] && has(env['PG_BIN'])) return env['PG_BIN'];
  const config = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  if (config.status === 0 && has(config.stdout.trim())) return config.stdout.trim();
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  for (const version of versions) if (has(path.join(root, version, 'bin'))) return path.join(root, version, 'bin');
  return null;
}

/** The user PostgreSQL runs as when we are root: `postgres` if it exists, else `nobody`. */
function serviceUser(): { name: string; uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  for (const name of ['postgres', 'nobody']) {
    const id = spawnSync('id', ['-u', name], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
    if (id.status === 0 && gid.status === 0)
      return { name, uid: Number(id.stdout.trim()), gid: Number(gid.stdout.trim()) };
  }
  throw new Error('running as root, and neither a `postgres` nor a `nobody` user exists to run PostgreSQL as');
}

/** Creates, starts and returns a throwaway cluster. Throws when the binaries are missing. */
export async function startTempPostgres(options: { bin?: string; port?: number } = {}): Promise<TempPostgres> {
  const bin = options.bin ?? findPostgresBin();
  if (!bin) throw new Error('PostgreSQL binaries not found (install the Debian package `postgresql`, or set PG_BIN)');
  const user = serviceUser();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nrs-pg-'));
  chmodSync(dir, 0o700);
  if (user) chownSync(dir, user.uid, user.gid);
  const data = path.join(dir, 'data');
  const run = (command: string, args: string[]) => {
    const full = user
      ? (['runuser', ['-u', user.name, '--', path.join(bin, command), ...args]] as const)
      : ([path.join(bin, command), args] as const);
    execFileSync(full[0], [...full[1]], { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir });
  };
  run('initdb', ['-D', data, '-U', 'nrs', '--auth=trust', '-E', 'UTF8', '--no-instructions']);
  const port = options.port ?? (await freePort());
  const start = () =>
    run('pg_ctl', [
      'start',
      '-w',
      '-t',
      '60',
      '-D',
      data,
      '-l',
      path.join(dir, 'server.log'),
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=100`,
    ]);
  const stop = (mode: 'fast' | 'immediate' = 'fast') => {
    try {
      run('pg_ctl', ['stop', '-w', '-t', '60', '-D', data, '-m', mode]);
    } catch {
      // Already stopped.
    }
  };
  start();
  return {
    url: `postgres://nrs@127.0.0.1:${port}/postgres`,
    port,
    dir,
    stop,
    start,
    destroy() {
      stop('immediate');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
