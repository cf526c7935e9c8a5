import { SearchError } from '../errors.js';
import { MIB } from '../corpus/corpus-limits.js';
import { LOG_LEVELS } from '../log/create-logger.js';

/** Settings of the command line, after flags and environment are merged. */
export interface CliSettings {
  command: 'serve' | 'index' | 'import' | 'help';
  corpusDir: string;
  cacheDir: string;
  port: number;
  /** Port of the probe thread's listener (`/health`, `/health/live`), or null for none. */
  adminPort: number | null;
  host: string;
  corsOrigins: string[];
  /** HTTP worker processes (1 = no cluster). */
  workers: number;
  /** Search responses kept for repeated queries (0 = no cache). */
  queryCache: number;
  /** Most megabytes (estimated) the query cache holds per process. */
  queryCacheMb: number;
  /** Least severe log level written (`silent` for none). */
  logLevel: (typeof LOG_LEVELS)[number];
  /** `json`, `pretty`, or `auto` (pretty when standard error is a terminal). */
  logFormat: 'json' | 'pretty' | 'auto';
  /** Record query strings in the access log. */
  logQueries: boolean;
  /** Count searches, no-hit searches and clicks for the editors' analytics (`ANALYTICS`, default true). */
  analytics: boolean;
  /** Days of analytics kept, today included (`ANALYTICS_DAYS`, 1–3650, default 90). */
  analyticsDays: number;
  /**
   * Folder of the analytics files without a store (`ANALYTICS_DIR`, default `<journal>/analytics`):
   * one small file per process. With `DATABASE_URL` the counts go to the store instead.
   */
  analyticsDir: string;
  /** Most searches waiting for their turn per process; one more gets a 503. */
  searchQueue: number;
  /** Most milliseconds a search waits for its turn before a 503. */
  searchQueueWaitMs: number;
  /** Time budget of one search, in milliseconds. */
  searchBudgetMs: number;
  /** Largest article `/articles/{id}` returns, in characters of text. */
  articleMaxChars: number;
  /** Seconds a stop waits for requests in flight before closing their connections. */
  shutdownTimeoutS: number;
  /** Largest corpus file read, in bytes (set in MiB: `MAX_FILE_MB`, 1–1024, default 32). */
  maxFileBytes: number;
  /** Follow symbolic links out of the corpus folder (`CORPUS_SYMLINKS=anywhere`; default `inside`: no). */
  followOutsideLinks: boolean;
  /** Paragraphs buffered in memory while indexing before a segment is written (`INDEX_BUFFER`). */
  bufferParagraphs: number;
  /** Re-hash every corpus file and check every byte of the index (`--verify`). */
  verify: boolean;
  /** Ignore the index cache and rebuild it from the corpus (`--rebuild`). */
  rebuild: boolean;
  /** Key of the write routes and editors' previews (`ADMIN_API_KEY`); null: writes off. */
  adminKey: string | null;
  /** Key of the read routes (`SEARCH_API_KEY`); null: reads open. */
  searchKey: string | null;
  /** Folder of the journal of the API's writes (`JOURNAL_DIR`, default `<corpus>/.journal`). */
  journalDir: string;
  /** Pick up corpus files added, changed or removed while serving (`WATCH`, default true). */
  watch: boolean;
  /**
   * PostgreSQL article store (`DATABASE_URL`), or null: the corpus folder and the
   * local journal, as without it. With it, this node mirrors the store's changes
   * into its journal (`JOURNAL_DIR`, default `<cache>-journal`) and reads no corpus folder.
   */
  databaseUrl: string | null;
  /** Seconds a node may be behind its article store before `/health` answers 503 (`MAX_LAG_S`, default 10). */
  maxLagS: number;
}

export const USAGE = `Usage: newsroom-search <serve|index> [options]

  serve    load or build the index of the corpus and answer HTTP requests
  index    build or update the index cache, print a summary, exit
  import   copy the corpus folder into the article store (DATABASE_URL): adds and
           replaces by id, skips unchanged articles and taken-down ids, prints progress

Options (each also read from the environment; flags win):
  --corpus DIR              corpus folder                 (CORPUS_DIR, default corpus)
  --cache DIR               index cache folder            (INDEX_CACHE_DIR, default index-cache)
  --port N                  HTTP port, 0-65535            (PORT, default 3000)
  --admin-port N            also answer /health and /health/live on this port, 1-65535, from a
                            thread of their own: prompt however busy searches are (ADMIN_PORT, default none)
  --host ADDR               address to listen on, not empty (HOST, default 127.0.0.1)
  --cors LIST               allowed origins, comma list or *  (CORS_ORIGINS, default none)
  --workers N               HTTP worker processes, 1-16   (WORKERS, default 1)
  --query-cache N           responses kept for repeated searches, 0-100000; 0 turns the cache off
                                                          (QUERY_CACHE, default 1000)
  --query-cache-mb N        most megabytes the query cache holds, 1-65536 (QUERY_CACHE_MB, default 64)
  --log-level LEVEL         fatal, error, warn, info, debug, trace or silent (LOG_LEVEL, default info)
  --log-format FORMAT       json, pretty or auto (pretty on a terminal) (LOG_FORMAT, default auto)
  --log-queries BOOL        record query strings in the access log, true or false (LOG_QUERIES, default false)
  --analytics BOOL          count searches, no-hit searches and clicks (no IP, key or user id), true or false
                                                          (ANALYTICS, default true)
  --analytics-days N        days of analytics kept, 1-3650 (ANALYTICS_DAYS, default 90)
  --analytics-dir DIR       folder of the analytics files, one per process; with DATABASE_URL the store
                            keeps them instead (ANALYTICS_DIR, default <journal>/analytics)
  --search-queue N          searches waiting at once per process, 1-10000 (SEARCH_QUEUE, default 64)
  --search-queue-wait MS    most milliseconds a search waits for its turn, 10-60000 (SEARCH_QUEUE_WAIT_MS, default 5000)
  --search-budget MS        time budget of one search in milliseconds, 10-60000 (SEARCH_BUDGET_MS, default 100)
  --article-max-chars N     largest article /articles returns, in characters, 1000-1000000000
                                                          (ARTICLE_MAX_CHARS, default 2000000)
  --shutdown-timeout S      seconds a stop waits for requests in flight, 1-300 (SHUTDOWN_TIMEOUT, default 10)
  --max-file-mb N           largest corpus file read, in MiB, 1-1024 (MAX_FILE_MB, default 32)
  --symlinks W              follow symbolic links that lead \`inside\` the corpus only, or \`anywhere\`
                                                          (CORPUS_SYMLINKS, default inside)
  --buffer N                paragraphs held in memory while indexing before a segment is written,
                            1000-10000000                 (INDEX_BUFFER, default 100000)
  --verify                  re-hash every corpus file (trust no file times), check every byte of
                            the index against its checksums, and repair
  --rebuild                 ignore the index cache and rebuild it from the corpus
  --admin-key KEY           turns the write routes on (PUT/DELETE /articles/{id}, POST /articles) and
                            editors' previews; 16+ characters; prefer the variable (ADMIN_API_KEY, default none)
  --search-key KEY          the key the read routes then need; 16+ characters (SEARCH_API_KEY, default none)
  --journal DIR             folder of the journal of writes and takedowns (JOURNAL_DIR, default <corpus>/.journal)
  --watch BOOL              pick up corpus files added, changed or removed while serving, true or false
                                                          (WATCH, default true)
  --database-url URL        PostgreSQL article store: nodes follow its change feed instead of reading
                            the corpus folder; one process per node (DATABASE_URL, default none)
  --max-lag S               seconds behind the article store before /health answers 503, 1-3600
                                                          (MAX_LAG_S, default 10)

Exit codes: 0 stopped cleanly; 1 the index could not be loaded or another failure; 2 a bad setting.
`;

interface Setting {
  flag: string;
  env: string;
  default: string;
  parse: (name: string, value: string) => unknown;
}

function integer(min: number, max: number) {
  return (name: string, value: string): number => {
    if (!/^[0-9]+$/.test(value) || Number(value) < min || Number(value) > max) {
      throw new SearchError('invalid_argument', `${name} must be an integer from ${min} to ${max}, got \`${value}\`.`);
    }
    return Number(value);
  };
}

function oneOf<T extends string>(choices: readonly T[]) {
  return (name: string, value: string): T => {
    if (!(choices as readonly string[]).includes(value)) throw new SearchError('invalid_argument', `${name} must be one of ${choices.join(', ')}, got \`${value}\`.`);
    return value as T;
  };
}

function nonEmpty(name: string, value: string): string {
  if (value.trim() === '') throw new SearchError('invalid_argument', `${name} must not be empty.`);
  return value;
}

/** An API key: none when empty; otherwise 16 to 256 visible ASCII characters (it travels in a header). */
function apiKey(name: string, value: string): string | null {
  if (value === '') return null;
  if (!/^[\x21-\x7e]{16,256}$/.test(value)) throw new SearchError('invalid_argument', `${name} must be 16 to 256 visible ASCII characters (no spaces); the value given is not (it is not shown).`);
  return value;
}

/** A PostgreSQL connection URL (`postgres://` or `postgresql://`); its password is never echoed. */
function postgresUrl(name: string, value: string): string {
  if (!/^postgres(ql)?:\/\//.test(value)) throw new SearchError('invalid_argument', `${name} must be a postgres:// or postgresql:// URL (the value given is not shown).`);
  return value;
}

/** Comma-separated origins; `*` allows any. Empty items dropped. */
export function parseOrigins(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Flags that take no value (and have no environment variable). */
const SWITCHES = { '--verify': 'verify', '--rebuild': 'rebuild' } as const;

/** Every setting but the switches: its flag, environment variable, default and parser. */
const SETTINGS: Record<Exclude<keyof CliSettings, 'command' | 'verify' | 'rebuild'>, Setting> = {
  adminKey: { flag: '--admin-key', env: 'ADMIN_API_KEY', default: '', parse: apiKey },
  searchKey: { flag: '--search-key', env: 'SEARCH_API_KEY', default: '', parse: apiKey },
  journalDir: { flag: '--journal', env: 'JOURNAL_DIR', default: '', parse: (_n, v) => v },
  watch: { flag: '--watch', env: 'WATCH', default: 'true', parse: (n, v) => oneOf(['true', 'false'] as const)(n, v) === 'true' },
  databaseUrl: { flag: '--database-url', env: 'DATABASE_URL', default: '', parse: (n, v) => (v === '' ? null : postgresUrl(n, v)) },
  maxLagS: { flag: '--max-lag', env: 'MAX_LAG_S', default: '10', parse: integer(1, 3600) },
  corpusDir: { flag: '--corpus', env: 'CORPUS_DIR', default: 'corpus', parse: nonEmpty },
  cacheDir: { flag: '--cache', env: 'INDEX_CACHE_DIR', default: 'index-cache', parse: nonEmpty },
  port: { flag: '--port', env: 'PORT', default: '3000', parse: integer(0, 65535) },
  adminPort: { flag: '--admin-port', env: 'ADMIN_PORT', default: '', parse: (n, v) => (v === '' ? null : integer(1, 65535)(n, v)) },
  // An empty host would make Node listen on every interface: refused, not guessed.
  host: { flag: '--host', env: 'HOST', default: '127.0.0.1', parse: nonEmpty },
  corsOrigins: { flag: '--cors', env: 'CORS_ORIGINS', default: '', parse: (_n, v) => parseOrigins(v) },
  workers: { flag: '--workers', env: 'WORKERS', default: '1', parse: integer(1, 16) },
  queryCache: { flag: '--query-cache', env: 'QUERY_CACHE', default: '1000', parse: integer(0, 100_000) },
  queryCacheMb: { flag: '--query-cache-mb', env: 'QUERY_CACHE_MB', default: '64', parse: integer(1, 65_536) },
  logLevel: { flag: '--log-level', env: 'LOG_LEVEL', default: 'info', parse: oneOf(LOG_LEVELS) },
  logFormat: { flag: '--log-format', env: 'LOG_FORMAT', default: 'auto', parse: oneOf(['json', 'pretty', 'auto'] as const) },
  logQueries: { flag: '--log-queries', env: 'LOG_QUERIES', default: 'false', parse: (n, v) => oneOf(['true', 'false'] as const)(n, v) === 'true' },
  analytics: { flag: '--analytics', env: 'ANALYTICS', default: 'true', parse: (n, v) => oneOf(['true', 'false'] as const)(n, v) === 'true' },
  analyticsDays: { flag: '--analytics-days', env: 'ANALYTICS_DAYS', default: '90', parse: integer(1, 3650) },
  analyticsDir: { flag: '--analytics-dir', env: 'ANALYTICS_DIR', default: '', parse: (_n, v) => v },
  searchQueue: { flag: '--search-queue', env: 'SEARCH_QUEUE', default: '64', parse: integer(1, 10_000) },
  searchQueueWaitMs: { flag: '--search-queue-wait', env: 'SEARCH_QUEUE_WAIT_MS', default: '5000', parse: integer(10, 60_000) },
  searchBudgetMs: { flag: '--search-budget', env: 'SEARCH_BUDGET_MS', default: '100', parse: integer(10, 60_000) },
  articleMaxChars: { flag: '--article-max-chars', env: 'ARTICLE_MAX_CHARS', default: '2000000', parse: integer(1000, 1_000_000_000) },
  shutdownTimeoutS: { flag: '--shutdown-timeout', env: 'SHUTDOWN_TIMEOUT', default: '10', parse: integer(1, 300) },
  maxFileBytes: { flag: '--max-file-mb', env: 'MAX_FILE_MB', default: '32', parse: (n, v) => integer(1, 1024)(n, v) * MIB },
  followOutsideLinks: { flag: '--symlinks', env: 'CORPUS_SYMLINKS', default: 'inside', parse: (n, v) => oneOf(['inside', 'anywhere'] as const)(n, v) === 'anywhere' },
  bufferParagraphs: { flag: '--buffer', env: 'INDEX_BUFFER', default: '100000', parse: integer(1000, 10_000_000) },
};

/**
 * Merges command-line flags (`--corpus DIR` or `--corpus=DIR`) over environment
 * variables over defaults, and checks every value. Throws a SearchError
 * (`invalid_argument`) naming the flag or variable and the bad value on an
 * unknown command or flag, or a bad value (an environment variable set to the
 * empty string counts as unset).
 */
export function parseArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): CliSettings {
  const given: Partial<Record<keyof typeof SETTINGS, string>> = {};
  const byFlag = new Map(Object.entries(SETTINGS).map(([key, s]) => [s.flag, key as keyof typeof SETTINGS]));
  let command: CliSettings['command'] | undefined;
  let help = false;
  const switches = { verify: false, rebuild: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    if (arg in SWITCHES) {
      switches[SWITCHES[arg as keyof typeof SWITCHES]] = true;
      continue;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const flag = eq === -1 ? arg : arg.slice(0, eq);
      const key = byFlag.get(flag);
      if (!key) throw new SearchError('invalid_argument', `unknown option \`${flag}\``);
      const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
      if (value === undefined) throw new SearchError('invalid_argument', `option \`${flag}\` needs a value`);
      given[key] = value;
      continue;
    }
    if (command) throw new SearchError('invalid_argument', `unexpected argument \`${arg}\``);
    if (arg !== 'serve' && arg !== 'index' && arg !== 'import' && arg !== 'help') throw new SearchError('invalid_argument', `unknown command \`${arg}\``);
    command = arg;
  }
  const settings: Record<string, unknown> = { command: help ? 'help' : (command ?? 'serve'), ...switches };
  for (const [key, setting] of Object.entries(SETTINGS)) {
    const flagValue = given[key as keyof typeof SETTINGS];
    const envValue = env[setting.env];
    if (flagValue !== undefined) settings[key] = setting.parse(setting.flag, flagValue);
    else if (envValue !== undefined && envValue !== '') settings[key] = setting.parse(setting.env, envValue);
    else settings[key] = setting.parse(setting.flag, setting.default);
  }
  if (settings['journalDir'] === '' && settings['databaseUrl'] !== null) settings['journalDir'] = `${String(settings['cacheDir']).replace(/\/+$/, '')}-journal`;
  if (settings['journalDir'] === '') settings['journalDir'] = `${String(settings['corpusDir']).replace(/\/+$/, '')}/.journal`;
  if (settings['analyticsDir'] === '') settings['analyticsDir'] = `${String(settings['journalDir']).replace(/\/+$/, '')}/analytics`;
  if (settings['adminKey'] !== null && settings['adminKey'] === settings['searchKey']) {
    throw new SearchError('invalid_argument', 'ADMIN_API_KEY and SEARCH_API_KEY must differ.');
  }
  // Each cluster worker would start its own probe thread on the one admin port.
  if (settings['adminPort'] !== null && (settings['workers'] as number) > 1) {
    throw new SearchError('invalid_argument', 'ADMIN_PORT (--admin-port) works with one worker only (WORKERS=1).');
  }
  // A node following a store is one process: run more nodes (behind nginx) instead of workers.
  if (settings['databaseUrl'] !== null && (settings['workers'] as number) > 1) {
    throw new SearchError('invalid_argument', 'DATABASE_URL works with one worker per node (WORKERS=1): start more nodes instead.');
  }
  if (settings['command'] === 'index' && settings['databaseUrl'] !== null) {
    throw new SearchError('invalid_argument', '`index` builds the index of the corpus folder; with DATABASE_URL a node builds its own from the article store when it starts (`npm run import` fills the store).');
  }
  if (settings['command'] === 'import' && settings['databaseUrl'] === null) {
    throw new SearchError('invalid_argument', '`import` copies the corpus into the article store: set DATABASE_URL (--database-url).');
  }
  return settings as unknown as CliSettings;
}
