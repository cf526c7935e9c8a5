// Bundles the compiled service (dist/main.js and every module of ours it imports) into one file,
// dist/main.js, so a start loads one module of ours instead of some three hundred: Node's module
// loader was about 0.2 s of CPU of each start on the project's machine (npm packages stay outside,
// loaded from node_modules as before). The other files of dist/ stay: segment workers start from
// dist/index/segments/segment-worker-entry.js. Each module's `import.meta.url` is rewritten to its
// own file's URL, so the paths it makes (the public folder, the sources whose digest versions the
// index cache, the worker's script) are the same as when it ran from its own file.
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Bundles `root`/dist/main.js in place (the tsc build must have run); rejects when esbuild is missing. */
export async function bundleService(root) {
  const dist = path.join(root, 'dist');
  const entry = path.join(dist, 'main.js');
  const { build } = await import('esbuild');
  const ownUrls = {
    name: 'own-import-meta-url',
    setup(b) {
      b.onLoad({ filter: /\.js$/ }, async (args) => {
        if (!args.path.startsWith(dist + path.sep)) return undefined;
        const source = await readFile(args.path, 'utf8');
        if (!source.includes('import.meta.url'))
          return { contents: source, loader: 'js', resolveDir: path.dirname(args.path) };
        const relative = `./${path.relative(dist, args.path).split(path.sep).join('/')}`;
        return {
          contents: source.replaceAll('import.meta.url', `new URL(${JSON.stringify(relative)}, import.meta.url).href`),
          loader: 'js',
          resolveDir: path.dirname(args.path),
        };
      });
    },
  };
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: ['node20'],
    packages: 'external',
    sourcemap: 'linked',
    write: false,
    outfile: entry,
    plugins: [ownUrls],
    logLevel: 'warning',
    absWorkingDir: root,
  });
  // Written beside, then renamed over the entry: a start never sees half a file.
  for (const file of result.outputFiles) {
    await writeFile(`${file.path}.tmp`, file.contents);
    await rename(`${file.path}.tmp`, file.path);
  }
}
