import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The documented config (`docs/nginx.conf`): the one the cluster runs, with its nodes and port put in. */
export const NGINX_SNIPPET = fileURLToPath(new URL('../../docs/nginx.conf', import.meta.url));

/** The nginx binary (`NGINX_BIN`, or `nginx` on the PATH, or Debian's /usr/sbin/nginx), or null. */
export function findNginx(env: NodeJS.ProcessEnv = process.env): string | null {
  for (const candidate of [env['NGINX_BIN'], 'nginx', '/usr/sbin/nginx']) {
    if (candidate && spawnSync(candidate, ['-v'], { stdio: 'ignore' }).status === 0) return candidate;
  }
  return null;
}

/**
 * `docs/nginx.conf` with its `server` lines replaced by one per node port and
 * its `listen` by `127.0.0.1:listenPort` (everything else kept as documented).
 */
export function upstreamSnippet(
  nodePorts: readonly number[],
  listenPort: number,
  snippet = readFileSync(NGINX_SNIPPET, 'utf8'),
): string {
  const lines = snippet.split('\n');
  const first = lines.findIndex((l) => /^\s*server 127\.0\.0\.1:\d+ /.test(l));
  if (first < 0) throw new Error(`${NGINX_SNIPPET} has no \`server 127.0.0.1:PORT …\` line to replace`);
  const template = lines[first]!;
  const servers = nodePorts.map((port) => template.replace(/127\.0\.0\.1:\d+/, `127.0.0.1:${port}`));
  const kept = lines.filter((l, i) => i === first || !/^\s*server 127\.0\.0\.1:\d+ /.test(l));
  const at = kept.indexOf(template);
  kept.splice(at, 1, ...servers);
  return kept.join('\n').replace(/listen 127\.0\.0\.1:\d+;/, `listen 127.0.0.1:${listenPort};`);
}

/** A whole nginx config around the snippet: runs in the foreground, with every file under `dir`. */
export function nginxConfig(snippet: string, dir: string): string {
  const at = (name: string) => path.join(dir, name);
  return [
    'daemon off;',
    'worker_processes 1;',
    `pid ${at('nginx.pid')};`,
    `error_log ${at('error.log')} warn;`,
    'events { worker_connections 1024; }',
    'http {',
    '    access_log off;',
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((k) => `    ${k}_temp_path ${at(`${k}-temp`)};`),
    snippet.replace(/^/gm, '    '),
    '}',
    '',
  ].join('\n');
}

/** Writes the config under `dir` and starts nginx with it; resolves once it accepts connections on `listenPort`. */
export async function startNginx(
  bin: string,
  nodePorts: readonly number[],
  listenPort: number,
  dir: string,
): Promise<ChildProcess> {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'nginx.conf');
  writeFileSync(file, nginxConfig(upstreamSnippet(nodePorts, listenPort), dir));
  const test = spawnSync(bin, ['-t', '-c', file, '-p', dir], { encoding: 'utf8' });
  if (test.status !== 0) throw new Error(`nginx refused the config: ${test.stderr}`);
  const child = spawn(bin, ['-c', file, '-p', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  for (let i = 0; i < 100; i++) {
    // A TCP connection, not a request: a request would reach the nodes, and one not up yet would count as failed.
    const up = await new Promise<boolean>((resolve) => {
      const socket = net.connect(listenPort, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (up) return child;
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error('nginx did not start listening');
}
