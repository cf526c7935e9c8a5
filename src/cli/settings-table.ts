import { MIB } from '../corpus/corpus-limits.js';
import { LOG_LEVELS } from '../log/create-logger.js';
import { apiKey, boolean, fraction, integer, nonEmpty, oneOf, parseOrigins, postgresUrl } from './setting-values.js';
import { parseWebhookAllowList } from '../alerts/webhook-target.js';

/**
 * One setting of the command line: the one table that the parser, the usage
 * text (`--help`) and the configuration table of `docs/OPERATIONS.md` (checked
 * by a test) are made from.
 */
export interface Setting {
  /** The flag, `--corpus`. */
  flag: string;
  /** What the flag takes, in the usage text: `DIR`, `N`. */
  arg: string;
  /** The environment variable, `CORPUS_DIR`. */
  env: string;
  /** The default as a value of the flag (`''`: none, or derived: see `shownDefault`). */
  default: string;
  /** The default as the usage text and the docs show it, when it is not `default` (`none`, `<corpus>/.journal`). */
  shownDefault?: string;
  /** One line for the usage text: what it sets, its range. */
  help: string;
  /** Checks a value and turns it into the setting (`name`: the flag or variable, for the error). */
  parse: (name: string, value: string) => unknown;
}

/** A switch: a flag that takes no value and has no environment variable (`--verify`). */
export interface Switch {
  flag: string;
  help: string;
}

/** Every setting that takes a value, keyed by its field of `CliSettings`, in the order the usage text lists them. */
export const SETTINGS = {
  corpusDir: {
    flag: '--corpus',
    arg: 'DIR',
    env: 'CORPUS_DIR',
    default: 'corpus',
    help: 'folder of articles, read recursively',
    parse: nonEmpty,
  },
  cacheDir: {
    flag: '--cache',
    arg: 'DIR',
    env: 'INDEX_CACHE_DIR',
    default: 'index-cache',
    help: 'index cache folder',
    parse: nonEmpty,
  },
  port: {
    flag: '--port',
    arg: 'N',
    env: 'PORT',
    default: '3000',
    help: 'HTTP port, 0-65535 (0: any free port)',
    parse: integer(0, 65535),
  },
  // An empty host would make Node listen on every interface: refused, not guessed.
  host: {
    flag: '--host',
    arg: 'ADDR',
    env: 'HOST',
    default: '127.0.0.1',
    help: 'address to listen on, not empty',
    parse: nonEmpty,
  },
  adminPort: {
    flag: '--admin-port',
    arg: 'N',
    env: 'ADMIN_PORT',
    default: '',
    shownDefault: 'none',
    help: 'also answer /health and /health/live on this port, 1-65535, from a thread of their own; WORKERS=1 only',
    parse: (n: string, v: string) => (v === '' ? null : integer(1, 65535)(n, v)),
  },
  corsOrigins: {
    flag: '--cors',
    arg: 'LIST',
    env: 'CORS_ORIGINS',
    default: '',
    shownDefault: 'none',
    help: 'browser origins allowed, comma list or *',
    parse: (_n: string, v: string) => parseOrigins(v),
  },
  workers: {
    flag: '--workers',
    arg: 'N',
    env: 'WORKERS',
    default: '1',
    help: 'HTTP worker processes, 1-16',
    parse: integer(1, 16),
  },
  queryCache: {
    flag: '--query-cache',
    arg: 'N',
    env: 'QUERY_CACHE',
    default: '1000',
    help: 'responses kept for repeated searches, 0-100000; 0 turns the cache off',
    parse: integer(0, 100_000),
  },
  queryCacheMb: {
    flag: '--query-cache-mb',
    arg: 'N',
    env: 'QUERY_CACHE_MB',
    default: '64',
    help: 'most megabytes the query cache holds per process, 1-65536',
    parse: integer(1, 65_536),
  },
  postingsCacheMb: {
    flag: '--postings-cache-mb',
    arg: 'N',
    env: 'POSTINGS_CACHE_MB',
    default: '192',
    help: 'most megabytes of decoded postings kept across searches per process, 16-65536',
    parse: integer(16, 65_536),
  },
  searchQueue: {
    flag: '--search-queue',
    arg: 'N',
    env: 'SEARCH_QUEUE',
    default: '64',
    help: 'searches waiting for their turn per process, 1-10000',
    parse: integer(1, 10_000),
  },
  searchQueueWaitMs: {
    flag: '--search-queue-wait',
    arg: 'MS',
    env: 'SEARCH_QUEUE_WAIT_MS',
    default: '5000',
    help: 'most milliseconds a search waits for its turn, 10-60000',
    parse: integer(10, 60_000),
  },
  searchBudgetMs: {
    flag: '--search-budget',
    arg: 'MS',
    env: 'SEARCH_BUDGET_MS',
    default: '100',
    help: 'time budget of one search in milliseconds, 10-60000',
    parse: integer(10, 60_000),
  },
  articleMaxChars: {
    flag: '--article-max-chars',
    arg: 'N',
    env: 'ARTICLE_MAX_CHARS',
    default: '2000000',
    help: 'largest article /articles returns, in characters, 1000-1000000000',
    parse: integer(1000, 1_000_000_000),
  },
  logLevel: {
    flag: '--log-level',
    arg: 'LEVEL',
    env: 'LOG_LEVEL',
    default: 'info',
    help: 'fatal, error, warn, info, debug, trace or silent',
    parse: oneOf(LOG_LEVELS),
  },
  logFormat: {
    flag: '--log-format',
    arg: 'F',
    env: 'LOG_FORMAT',
    default: 'auto',
    help: 'json, pretty or auto (pretty on a terminal)',
    parse: oneOf(['json', 'pretty', 'auto'] as const),
  },
  logQueries: {
    flag: '--log-queries',
    arg: 'BOOL',
    env: 'LOG_QUERIES',
    default: 'false',
    help: 'record query strings in the access log, true or false',
    parse: boolean,
  },
  shutdownTimeoutS: {
    flag: '--shutdown-timeout',
    arg: 'S',
    env: 'SHUTDOWN_TIMEOUT',
    default: '10',
    help: 'seconds a stop waits for requests in flight, 1-300',
    parse: integer(1, 300),
  },
  bufferParagraphs: {
    flag: '--buffer',
    arg: 'N',
    env: 'INDEX_BUFFER',
    default: '100000',
    help: 'paragraphs held in memory while indexing before a segment is written, 1000-10000000',
    parse: integer(1000, 10_000_000),
  },
  maxFileBytes: {
    flag: '--max-file-mb',
    arg: 'N',
    env: 'MAX_FILE_MB',
    default: '32',
    help: 'largest corpus file read, in MiB, 1-1024',
    parse: (n: string, v: string) => integer(1, 1024)(n, v) * MIB,
  },
  followOutsideLinks: {
    flag: '--symlinks',
    arg: 'W',
    env: 'CORPUS_SYMLINKS',
    default: 'inside',
    help: 'follow symbolic links that lead `inside` the corpus folder only, or `anywhere`',
    parse: (n: string, v: string) => oneOf(['inside', 'anywhere'] as const)(n, v) === 'anywhere',
  },
  adminKey: {
    flag: '--admin-key',
    arg: 'KEY',
    env: 'ADMIN_API_KEY',
    default: '',
    shownDefault: 'none',
    help: "turns the write routes and editors' previews on; 16-256 characters; prefer the variable",
    parse: apiKey,
  },
  searchKey: {
    flag: '--search-key',
    arg: 'KEY',
    env: 'SEARCH_API_KEY',
    default: '',
    shownDefault: 'none',
    help: 'the key the read routes then need; 16-256 characters',
    parse: apiKey,
  },
  journalDir: {
    flag: '--journal',
    arg: 'DIR',
    env: 'JOURNAL_DIR',
    default: '',
    shownDefault: '<corpus>/.journal',
    help: 'folder of the journal of writes and takedowns (with DATABASE_URL: <cache>-journal)',
    parse: (_n: string, v: string) => v,
  },
  synonymsFile: {
    flag: '--synonyms',
    arg: 'FILE',
    env: 'SYNONYMS_FILE',
    default: '',
    shownDefault: 'none',
    help: 'synonym set loaded at start when none was put through PUT /synonyms (same JSON)',
    parse: (_n: string, v: string) => (v === '' ? null : v),
  },
  databaseUrl: {
    flag: '--database-url',
    arg: 'URL',
    env: 'DATABASE_URL',
    default: '',
    shownDefault: 'none',
    help: 'PostgreSQL article store: the node follows its change feed instead of the corpus folder; WORKERS=1',
    parse: (n: string, v: string) => (v === '' ? null : postgresUrl(n, v)),
  },
  maxLagS: {
    flag: '--max-lag',
    arg: 'S',
    env: 'MAX_LAG_S',
    default: '10',
    help: 'seconds behind the article store before /health answers 503, 1-3600',
    parse: integer(1, 3600),
  },
  maxAlerts: {
    flag: '--max-alerts',
    arg: 'N',
    env: 'MAX_ALERTS',
    default: '10000',
    help: 'most saved searches (alerts), 0-1000000; 0 turns them off',
    parse: integer(0, 1_000_000),
  },
  alertWebhookAllow: {
    flag: '--alert-webhook-allow',
    arg: 'LIST',
    env: 'ALERT_WEBHOOK_ALLOW',
    default: '',
    shownDefault: 'none',
    help: 'webhook hosts, addresses or CIDR ranges allowed although private or loopback, comma-separated',
    parse: (_n: string, v: string) => parseWebhookAllowList(v),
  },
  alertRetryMaxS: {
    flag: '--alert-retry-max',
    arg: 'S',
    env: 'ALERT_RETRY_MAX_S',
    default: '600',
    help: 'longest wait between two attempts of a failing webhook, in seconds, 1-3600',
    parse: integer(1, 3600),
  },
  alertRetentionDays: {
    flag: '--alert-retention-days',
    arg: 'N',
    env: 'ALERT_RETENTION_DAYS',
    default: '7',
    help: 'days delivered alert events stay in the outbox before they are pruned, 0-3650',
    parse: integer(0, 3650),
  },
  maxVersions: {
    flag: '--max-versions',
    arg: 'N',
    env: 'MAX_VERSIONS',
    default: '50',
    help: 'versions kept per article, 2-1000; past it the oldest are forgotten',
    parse: integer(2, 1000),
  },
  duplicateSimilarity: {
    flag: '--duplicate-similarity',
    arg: 'X',
    env: 'DUPLICATE_SIMILARITY',
    default: '0.7',
    help: 'similarity (Jaccard of 5-word shingles, 0.5-1) from which articles are grouped as near-duplicates',
    parse: fraction(0.5, 1),
  },
  analytics: {
    flag: '--analytics',
    arg: 'BOOL',
    env: 'ANALYTICS',
    default: 'true',
    help: 'count searches, no-hit searches and clicks (no IP, key or user id), true or false',
    parse: boolean,
  },
  analyticsDays: {
    flag: '--analytics-days',
    arg: 'N',
    env: 'ANALYTICS_DAYS',
    default: '90',
    help: 'days of analytics kept, 1-3650',
    parse: integer(1, 3650),
  },
  analyticsDir: {
    flag: '--analytics-dir',
    arg: 'DIR',
    env: 'ANALYTICS_DIR',
    default: '',
    shownDefault: '<journal>/analytics',
    help: 'folder of the analytics files, one per process; with DATABASE_URL the store keeps them instead',
    parse: (_n: string, v: string) => v,
  },
  watch: {
    flag: '--watch',
    arg: 'BOOL',
    env: 'WATCH',
    default: 'true',
    help: 'pick up corpus files added, changed or removed while serving, true or false',
    parse: boolean,
  },
} as const satisfies Record<string, Setting>;

/** The switches, keyed by their field of `CliSettings`. */
export const SWITCHES = {
  verify: {
    flag: '--verify',
    help: 're-hash every corpus file (trust no file times), check every byte of the index against its checksums, and repair',
  },
  rebuild: { flag: '--rebuild', help: 'ignore the index cache and rebuild it from the corpus' },
} as const satisfies Record<string, Switch>;

/** A setting's default as people read it: `none` for an empty one, or its `shownDefault`. */
export function shownDefault(setting: Setting): string {
  return setting.shownDefault ?? (setting.default === '' ? 'none' : setting.default);
}

const FLAG_WIDTH = 26;

/** The usage text of `--help` and of a bad setting, made from {@link SETTINGS} and {@link SWITCHES}. */
export function usageText(): string {
  const settings = Object.values(SETTINGS as Record<string, Setting>).map(
    (s) =>
      `  ${`${s.flag} ${s.arg}`.padEnd(FLAG_WIDTH)}${s.help}\n  ${''.padEnd(FLAG_WIDTH)}(${s.env}, default ${shownDefault(s)})`,
  );
  const switches = Object.values(SWITCHES as Record<string, Switch>).map(
    (s) => `  ${s.flag.padEnd(FLAG_WIDTH)}${s.help}`,
  );
  return `Usage: newsroom-search <serve|index|import> [options]

  serve    load or build the index of the corpus and answer HTTP requests
  index    build or update the index cache, print a summary, exit
  import   copy the corpus folder into the article store (DATABASE_URL): adds and
           replaces by id, skips unchanged articles and taken-down ids, prints progress

Options (each also read from the environment; flags win):
${[...settings, ...switches].join('\n')}

Exit codes: 0 stopped cleanly; 1 the index could not be loaded or another failure; 2 a bad setting.
`;
}
