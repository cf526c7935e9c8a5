import { MIB } from '../corpus/corpus-limits.js';
import { SearchError } from '../errors.js';

/** Settings of the command line, after flags and environment are merged. */
export interface CliSettings {
  command: 'serve' | 'index' | 'help';
  corpusDir: string;
  cacheDir: string;
  port: number;
  host: string;
  corsOrigins: string[];
  /** HTTP worker processes (1 = no cluster). */
  workers: number;
  /** Search responses kept for repeated queries (0 = no cache). */
  queryCache: number;
  /** Largest corpus file read, in bytes (set in MiB: `MAX_FILE_MB`, 1–1024, default 32). */
  maxFileBytes: number;
  /** Follow symbolic links out of the corpus folder (`CORPUS_SYMLINKS=anywhere`; default `inside`: no). */
  followOutsideLinks: boolean;
  /** Re-hash every corpus file instead of trusting recorded times (`--verify`). */
  verify: boolean;
  /** Ignore the index cache and rebuild it from the corpus (`--rebuild`). */
  rebuild: boolean;
  /** Paragraphs buffered in memory while indexing before a segment is written. */
  bufferParagraphs: number;
}

export const USAGE = `Usage: newsroom-search <serve|index> [options]

  serve    load or build the index of the corpus and answer HTTP requests
  index    build or update the index cache, print a summary, exit

Options (each also read from the environment):
  --corpus DIR    corpus folder                 (CORPUS_DIR, default ./corpus)
  --cache DIR     index cache folder            (INDEX_CACHE_DIR, default ./index-cache)
  --port N        HTTP port, 0-65535            (PORT, default 3000)
  --host ADDR     address to listen on          (HOST, default 127.0.0.1)
  --cors LIST     allowed origins, comma list or *  (CORS_ORIGINS, default none)
  --workers N     HTTP worker processes, 1-16   (WORKERS, default 1)
  --query-cache N responses kept for repeated searches, 0-100000; 0 turns the cache off
                                                (QUERY_CACHE, default 1000)
  --max-file-mb N largest corpus file read, in MiB, 1-1024  (MAX_FILE_MB, default 32)
  --symlinks W    follow symbolic links that lead \`inside\` the corpus only, or \`anywhere\`
                                                (CORPUS_SYMLINKS, default inside)
  --buffer N      paragraphs held in memory while indexing before a segment
                  is written, 1000-10000000   (INDEX_BUFFER, default 100000)
  --verify        re-hash every corpus file (trust no file times), check every
                  byte of the index against its checksums, and repair
  --rebuild       ignore the index cache and rebuild it from the corpus
`;

const FLAGS: Record<string, keyof CliSettings> = {
  '--corpus': 'corpusDir',
  '--cache': 'cacheDir',
  '--port': 'port',
  '--host': 'host',
  '--cors': 'corsOrigins',
  '--workers': 'workers',
  '--query-cache': 'queryCache',
  '--max-file-mb': 'maxFileBytes',
  '--symlinks': 'followOutsideLinks',
  '--buffer': 'bufferParagraphs',
};

/** Flags that take no value. */
const SWITCHES: Record<string, keyof CliSettings> = { '--verify': 'verify', '--rebuild': 'rebuild' };

function parseSymlinks(name: string, value: string): boolean {
  if (value !== 'inside' && value !== 'anywhere') {
    throw new SearchError('invalid_argument', `${name} must be \`inside\` or \`anywhere\`, got \`${value}\`.`);
  }
  return value === 'anywhere';
}

function parseInteger(name: string, value: string, min: number, max: number): number {
  if (!/^[0-9]+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new SearchError('invalid_argument', `${name} must be an integer from ${min} to ${max}, got \`${value}\`.`);
  }
  return Number(value);
}

/** Comma-separated origins; `*` allows any. Empty items dropped. */
export function parseOrigins(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * Merges command-line flags (`--corpus DIR` or `--corpus=DIR`) over environment
 * variables over defaults. Throws a SearchError (`invalid_argument`) on an
 * unknown command or flag, or a bad value.
 */
export function parseArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): CliSettings {
  const values: Record<string, string> = {};
  let command: CliSettings['command'] | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return { ...defaults(env), command: 'help' };
    if (SWITCHES[arg]) {
      values[SWITCHES[arg]] = 'true';
      continue;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const flag = eq === -1 ? arg : arg.slice(0, eq);
      const key = FLAGS[flag];
      if (!key) throw new SearchError('invalid_argument', `unknown option \`${flag}\``);
      const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
      if (value === undefined) throw new SearchError('invalid_argument', `option \`${flag}\` needs a value`);
      values[key] = value;
      continue;
    }
    if (command) throw new SearchError('invalid_argument', `unexpected argument \`${arg}\``);
    if (arg !== 'serve' && arg !== 'index' && arg !== 'help') throw new SearchError('invalid_argument', `unknown command \`${arg}\``);
    command = arg;
  }
  const base = defaults(env);
  return {
    command: command ?? 'serve',
    corpusDir: values.corpusDir ?? base.corpusDir,
    cacheDir: values.cacheDir ?? base.cacheDir,
    port: values.port !== undefined ? parseInteger('--port', values.port, 0, 65535) : base.port,
    host: values.host ?? base.host,
    corsOrigins: values.corsOrigins !== undefined ? parseOrigins(values.corsOrigins) : base.corsOrigins,
    workers: values.workers !== undefined ? parseInteger('--workers', values.workers, 1, 16) : base.workers,
    queryCache: values.queryCache !== undefined ? parseInteger('--query-cache', values.queryCache, 0, 100_000) : base.queryCache,
    maxFileBytes: values.maxFileBytes !== undefined ? parseInteger('--max-file-mb', values.maxFileBytes, 1, 1024) * MIB : base.maxFileBytes,
    followOutsideLinks: values.followOutsideLinks !== undefined ? parseSymlinks('--symlinks', values.followOutsideLinks) : base.followOutsideLinks,
    verify: values.verify === 'true',
    rebuild: values.rebuild === 'true',
    bufferParagraphs: values.bufferParagraphs !== undefined ? parseInteger('--buffer', values.bufferParagraphs, 1000, 10_000_000) : base.bufferParagraphs,
  };
}

function defaults(env: Readonly<Record<string, string | undefined>>): CliSettings {
  return {
    command: 'serve',
    corpusDir: env.CORPUS_DIR || 'corpus',
    cacheDir: env.INDEX_CACHE_DIR || 'index-cache',
    port: env.PORT ? parseInteger('PORT', env.PORT, 0, 65535) : 3000,
    host: env.HOST || '127.0.0.1',
    corsOrigins: env.CORS_ORIGINS ? parseOrigins(env.CORS_ORIGINS) : [],
    workers: env.WORKERS ? parseInteger('WORKERS', env.WORKERS, 1, 16) : 1,
    queryCache: env.QUERY_CACHE ? parseInteger('QUERY_CACHE', env.QUERY_CACHE, 0, 100_000) : 1000,
    maxFileBytes: (env.MAX_FILE_MB ? parseInteger('MAX_FILE_MB', env.MAX_FILE_MB, 1, 1024) : 32) * MIB,
    followOutsideLinks: env.CORPUS_SYMLINKS ? parseSymlinks('CORPUS_SYMLINKS', env.CORPUS_SYMLINKS) : false,
    verify: false,
    rebuild: false,
    bufferParagraphs: env.INDEX_BUFFER ? parseInteger('INDEX_BUFFER', env.INDEX_BUFFER, 1000, 10_000_000) : 100_000,
  };
}
