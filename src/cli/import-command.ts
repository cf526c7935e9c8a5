import type { Article } from '../corpus/article.js';
import { streamCorpus } from '../corpus/stream-corpus.js';
import { API_FILE } from '../index/article-overrides.js';
import type { JournalChange } from '../live/journal.js';
import { PgStore } from '../store/pg-store.js';
import type { Output } from './index-command.js';
import type { CliSettings } from './parse-args.js';

/** Articles sent to PostgreSQL per transaction. */
export const IMPORT_BATCH = 500;
/** A progress line at most this often (ms), and the last. */
const PROGRESS_MS = 2_000;

/** What an import did. */
export interface ImportSummary {
  files: number;
  /** Articles read from the corpus. */
  articles: number;
  /** Articles written (new, or different from the stored one). */
  written: number;
  /** Articles left as they were: unchanged, or their id taken down. */
  skipped: number;
  problems: number;
}

/**
 * `import`: copies the corpus folder into the article store, in transactions of
 * {@link IMPORT_BATCH} articles. Idempotent: an article equal to the stored one
 * is skipped, and an id taken down stays down (a `PUT` restores it). An id seen
 * twice keeps its first article (the later one is listed as a problem). The
 * articles' `file` becomes the API's: in the store, every article is the
 * store's. Prints a progress line every 2 s and a summary; returns the exit code
 * (0, or 1 when the store cannot be reached).
 */
export async function runImportCommand(settings: CliSettings, output: Output): Promise<number> {
  const store = new PgStore(settings.databaseUrl!);
  const summary: ImportSummary = { files: 0, articles: 0, written: 0, skipped: 0, problems: 0 };
  const seen = new Set<string>();
  let batch: JournalChange[] = [];
  let lastLine = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const records = await store.write(batch, { skipUnchanged: true });
    summary.written += records.length;
    summary.skipped += batch.length - records.length;
    batch = [];
  };
  const progress = (done: number, total: number, last = false) => {
    if (!last && Date.now() - lastLine < PROGRESS_MS) return;
    lastLine = Date.now();
    output.err(
      `import: ${done}/${total} files, ${summary.articles} articles read, ${summary.written} written, ${summary.skipped} unchanged or taken down\n`,
    );
  };
  try {
    await store.prepare();
    let total = 0;
    for await (const item of streamCorpus(settings.corpusDir, {
      maxFileBytes: settings.maxFileBytes,
      followOutsideLinks: settings.followOutsideLinks,
    })) {
      total = item.total;
      for (const problem of item.problems) {
        summary.problems++;
        output.err(`problem: ${problem.file}${problem.line ? `:${problem.line}` : ''}: ${problem.message}\n`);
      }
      if (item.path !== '') summary.files++;
      for (const article of item.articles) {
        if (seen.has(article.id)) {
          summary.problems++;
          output.err(
            `problem: ${item.path}: the id \`${article.id}\` was already imported from an earlier file; this one is skipped\n`,
          );
          continue;
        }
        seen.add(article.id);
        summary.articles++;
        const stored: Article = { ...article, file: API_FILE };
        batch.push({ op: 'put', id: article.id, article: stored });
        if (batch.length >= IMPORT_BATCH) await flush();
      }
      progress(item.done, total);
    }
    await flush();
    progress(summary.files, total, true);
    const counts = await store.counts();
    output.out(
      `imported ${settings.corpusDir}: ${summary.written} article(s) written, ${summary.skipped} unchanged or taken down, ${summary.problems} problem(s); the store holds ${counts.articles} article(s) (${counts.deleted} taken down)\n`,
    );
    return 0;
  } catch (error) {
    output.err(`import failed: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await store.close();
  }
}
