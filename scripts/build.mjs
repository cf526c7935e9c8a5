// Compiles src/ into dist/ (tsc -p tsconfig.build.json), bundles the service's entry (see
// bundle-service.mjs) and stamps the build.
// With --if-stale (npm's prestart), does nothing when dist/ is newer than every
// source, so `npm start` on a built tree runs no compiler, and a production
// install (no TypeScript) starts as long as its dist/ is current. It also bundles the
// InstantSearch example (see bundle-instantsearch.mjs).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleInstantSearch, isBundleStale } from './bundle-instantsearch.mjs';
import { bundleService } from './bundle-service.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stamp = path.join(root, 'dist', '.build-stamp');

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function isStale() {
  if (!existsSync(stamp) || !existsSync(path.join(root, 'src'))) return !existsSync(stamp);
  const inputs = Math.max(
    newestSource(path.join(root, 'src')),
    statSync(path.join(root, 'tsconfig.build.json')).mtimeMs,
  );
  return inputs > statSync(stamp).mtimeMs;
}

if (process.argv.includes('--if-stale') && !isStale()) {
  // dist/ is current; the InstantSearch example's bundle is built when missing or older than its source
  // (and can only be with the dev dependencies; without them the example page is just absent).
  if (isBundleStale(root) && existsSync(path.join(root, 'node_modules', 'instantsearch.js')))
    await bundleInstantSearch(root);
  process.exit(0);
}

const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
if (!existsSync(tsc)) {
  process.stderr.write(
    'dist/ is missing or older than src/, and TypeScript is not installed to build it: run `npm install` (with dev dependencies), then `npm run build`.\n',
  );
  process.exit(1);
}
rmSync(path.join(root, 'dist'), { recursive: true, force: true });
const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (result.status !== 0) process.exit(result.status ?? 1);
await bundleService(root);
writeFileSync(stamp, `${new Date().toISOString()}\n`);
await bundleInstantSearch(root);
