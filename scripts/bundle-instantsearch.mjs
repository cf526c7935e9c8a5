// Bundles the InstantSearch example (ui/instantsearch/app.js, with the instantsearch.js,
// algoliasearch and instantsearch.css packages) into public/instantsearch/app.js and app.css,
// served at /instantsearch/. No CDN: the page loads only files of this service.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** The example's source folder and the bundle's output files, under `root`. */
export function instantSearchPaths(root) {
  return {
    source: path.join(root, 'ui', 'instantsearch'),
    entry: path.join(root, 'ui', 'instantsearch', 'app.js'),
    script: path.join(root, 'public', 'instantsearch', 'app.js'),
    style: path.join(root, 'public', 'instantsearch', 'app.css'),
  };
}

/** True when the bundle is missing or older than its source. */
export function isBundleStale(root) {
  const { source, script, style } = instantSearchPaths(root);
  if (!existsSync(source)) return false;
  if (!existsSync(script) || !existsSync(style)) return true;
  const newest = Math.max(...readdirSync(source).map((name) => statSync(path.join(source, name)).mtimeMs));
  return newest > Math.min(statSync(script).mtimeMs, statSync(style).mtimeMs);
}

/** Bundles the example with esbuild (minified, for current browsers); nothing without its source; rejects when a package is missing. */
export async function bundleInstantSearch(root) {
  const { entry, script } = instantSearchPaths(root);
  if (!existsSync(entry)) return;
  const { build } = await import('esbuild');
  await build({
    entryPoints: [entry],
    outfile: script,
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['es2020'],
    legalComments: 'none',
    logLevel: 'warning',
    absWorkingDir: root,
  });
}
