import { SearchError } from '../errors.js';
import type { LOG_LEVELS } from '../log/create-logger.js';
import type { WebhookAllowList } from '../alerts/webhook-target.js';
import { SETTINGS, SWITCHES, usageText } from './settings-table.js';

export { parseOrigins } from './setting-values.js';

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
  /** Most megabytes of decoded postings kept across searches (`POSTINGS_CACHE_MB`, default 192). */
  postingsCacheMb: number;
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
  /** Synonym set file loaded at start when no set was put through the API (`SYNONYMS_FILE`); null: none. */
  synonymsFile: string | null;
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
  /** Most saved searches (`MAX_ALERTS`, default 10,000; 0 turns alerts off). */
  maxAlerts: number;
  /** Webhook hosts and ranges allowed although private or loopback (`ALERT_WEBHOOK_ALLOW`, default none). */
  alertWebhookAllow: WebhookAllowList;
  /** Longest wait between two attempts of a failing webhook, in seconds (`ALERT_RETRY_MAX_S`, default 600). */
  alertRetryMaxS: number;
  /** Days delivered (sent or given up) alert events are kept in the outbox before they are pruned (`ALERT_RETENTION_DAYS`, 0–3650, default 7). */
  alertRetentionDays: number;
  /** Versions kept per article history, the current one included (`MAX_VERSIONS`, 2–1000, default 50); past it the oldest are forgotten. */
  maxVersions: number;
  /** Estimated Jaccard similarity (5-word shingles) from which two articles are near-duplicates (`DUPLICATE_SIMILARITY`, 0.5–1, default 0.7). */
  duplicateSimilarity: number;
}

/** The fields of {@link CliSettings} that the settings table sets from a flag or variable. */
type TableKey = Exclude<keyof CliSettings, 'command' | keyof typeof SWITCHES>;
// Compiles only while the table holds every such field and no other.
const TABLE_MATCHES_SETTINGS: [TableKey] extends [keyof typeof SETTINGS]
  ? [keyof typeof SETTINGS] extends [TableKey]
    ? true
    : never
  : never = true;
void TABLE_MATCHES_SETTINGS;

/** The usage text (`--help`), made from the settings table (`settings-table.ts`). */
export const USAGE = usageText();

/**
 * Merges command-line flags (`--corpus DIR` or `--corpus=DIR`) over environment
 * variables over defaults, and checks every value. Throws a SearchError
 * (`invalid_argument`) naming the flag or variable and the bad value on an
 * unknown command or flag, or a bad value (an environment variable set to the
 * empty string counts as unset).
 */
export function parseArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): CliSettings {
  const given: Partial<Record<keyof typeof SETTINGS, string>> = {};
  const byFlag = new Map(Object.entries(SETTINGS).map(([key, s]) => [s.flag as string, key as keyof typeof SETTINGS]));
  const switchByFlag = new Map(
    Object.entries(SWITCHES).map(([key, s]) => [s.flag as string, key as keyof typeof SWITCHES]),
  );
  let command: CliSettings['command'] | undefined;
  let help = false;
  const switches = { verify: false, rebuild: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    const switchKey = switchByFlag.get(arg);
    if (switchKey) {
      switches[switchKey] = true;
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
    if (arg !== 'serve' && arg !== 'index' && arg !== 'import' && arg !== 'help')
      throw new SearchError('invalid_argument', `unknown command \`${arg}\``);
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
  if (settings['journalDir'] === '' && settings['databaseUrl'] !== null)
    settings['journalDir'] = `${String(settings['cacheDir']).replace(/\/+$/, '')}-journal`;
  if (settings['journalDir'] === '')
    settings['journalDir'] = `${String(settings['corpusDir']).replace(/\/+$/, '')}/.journal`;
  if (settings['analyticsDir'] === '')
    settings['analyticsDir'] = `${String(settings['journalDir']).replace(/\/+$/, '')}/analytics`;
  if (settings['adminKey'] !== null && settings['adminKey'] === settings['searchKey']) {
    throw new SearchError('invalid_argument', 'ADMIN_API_KEY and SEARCH_API_KEY must differ.');
  }
  // Each cluster worker would start its own probe thread on the one admin port.
  if (settings['adminPort'] !== null && (settings['workers'] as number) > 1) {
    throw new SearchError('invalid_argument', 'ADMIN_PORT (--admin-port) works with one worker only (WORKERS=1).');
  }
  // A node following a store is one process: run more nodes (behind nginx) instead of workers.
  if (settings['databaseUrl'] !== null && (settings['workers'] as number) > 1) {
    throw new SearchError(
      'invalid_argument',
      'DATABASE_URL works with one worker per node (WORKERS=1): start more nodes instead.',
    );
  }
  if (settings['command'] === 'index' && settings['databaseUrl'] !== null) {
    throw new SearchError(
      'invalid_argument',
      '`index` builds the index of the corpus folder; with DATABASE_URL a node builds its own from the article store when it starts (`npm run import` fills the store).',
    );
  }
  if (settings['command'] === 'import' && settings['databaseUrl'] === null) {
    throw new SearchError(
      'invalid_argument',
      '`import` copies the corpus into the article store: set DATABASE_URL (--database-url).',
    );
  }
  return settings as unknown as CliSettings;
}
