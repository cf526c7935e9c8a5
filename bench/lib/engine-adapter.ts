/**
 * The scale benchmark's one door into `src/`: reading the source corpus, the
 * tokenizer, and the command lines and URLs of our service. The segmented engine
 * (issue 9) will change what is behind these; re-wire them here and nowhere else.
 * Everything else in the scale bench treats our service as a black box (a CLI
 * that builds `index-cache/`, an HTTP server that answers `/health` and `/search`).
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { parseCorpusFiles } from '../../src/corpus/read-corpus.js';
import { walkCorpus } from '../../src/corpus/walk-corpus.js';
import { tokenize } from '../../src/analysis/tokenize.js';
import type { ScaleArticle } from './sentence-pool.js';
import type { TokenizeForms } from './scale-corpus.js';

/** The project's tokenizer: tokens with UTF-16 offsets and normalized forms. */
export const tokenizeForms: TokenizeForms = tokenize;

/**
 * The articles of the corpus files under `root` whose corpus-relative path starts
 * with one of `prefixes` (e.g. `bbc/`, `reuters-21578.ndjson`), parsed by the
 * project's own reader (boilerplate stripped, paragraphs split), in path order.
 * Throws when a file cannot be read.
 */
export async function readSourceArticles(root: string, prefixes: readonly string[]): Promise<ScaleArticle[]> {
  const { paths } = await walkCorpus(root);
  const wanted = paths.filter((p) => prefixes.some((prefix) => p.startsWith(prefix)));
  const { articles, problems } = await parseCorpusFiles(root, wanted);
  const unreadable = problems.filter((p) => p.line === undefined && p.message.startsWith('unreadable file'));
  if (unreadable.length) throw new Error(`cannot read ${unreadable[0]!.file}: ${unreadable[0]!.message}`);
  return articles.map((a) => ({
    id: a.id,
    title: a.title,
    date: a.date,
    source: a.source,
    section: a.section,
    tags: a.tags,
    paragraphs: a.paragraphs,
  }));
}

/** A command to spawn: program, arguments, working folder, extra environment. */
export interface Command {
  program: string;
  args: string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
}

/** Compiles `src/` into `dist/` when it is missing or stale, as `npm start` and `npm run index` do first. */
export function buildService(repoRoot: string): void {
  execFileSync(process.execPath, [path.join(repoRoot, 'scripts/build.mjs'), '--if-stale'], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
}

/** `npm run index` as a user runs it (the compiled service), for `corpusDir` into `cacheDir`; Node flags (`--max-old-space-size=…`) in `nodeFlags`. */
export function indexCommand(
  repoRoot: string,
  corpusDir: string,
  cacheDir: string,
  nodeFlags: readonly string[] = [],
): Command {
  return {
    program: process.execPath,
    args: [...nodeFlags, path.join(repoRoot, 'dist/main.js'), 'index', '--corpus', corpusDir, '--cache', cacheDir],
    cwd: repoRoot,
  };
}

/**
 * `npm start` (the compiled service) from an existing cache on `port`, with the response cache off
 * (every request searches) and the per-search time budget out of the way (60 s), so every answer is
 * complete, as FTS5's are.
 */
export function serveCommand(repoRoot: string, corpusDir: string, cacheDir: string, port: number): Command {
  return {
    program: process.execPath,
    args: [
      path.join(repoRoot, 'dist/main.js'),
      'serve',
      '--corpus',
      corpusDir,
      '--cache',
      cacheDir,
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
      '--query-cache',
      '0',
      '--workers',
      '1',
      '--search-budget',
      '60000',
      '--log-level',
      'warn',
    ],
    cwd: repoRoot,
  };
}

/** The three query modes the scale bench times. */
export type QueryMode = 'default' | 'or' | 'typing';

/**
 * Our `/search` path for `q`: default mode (AND, last word a prefix, snippets, 10 hits
 * per page grouped by article), OR (`matchingStrategy=any`), or as-you-type (the
 * default mode on a typed prefix: the same request a search box sends).
 */
export function searchPath(q: string, mode: QueryMode): string {
  return `/search?q=${encodeURIComponent(q)}${mode === 'or' ? '&matchingStrategy=any' : ''}`;
}
