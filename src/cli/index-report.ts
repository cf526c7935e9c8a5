import type { OpenIndexResult } from '../index/open-index.js';
import type { Logger } from '../log/create-logger.js';
import { progressReporter } from './index-command.js';

/**
 * How the service reports an index it opens or builds in its log: the single
 * process, each worker and the cluster's primary alike.
 */

/** Build progress as log lines (one every 10 s, and the last). */
export function indexProgress(logger: Logger) {
  return progressReporter({
    out: () => {},
    err: (line) => logger.info({ component: 'index' }, line.trim()),
    isTTY: false,
  });
}

/** An opened index, as the fields of a log line. */
export function describe(result: OpenIndexResult) {
  return {
    articles: result.index.articleCount,
    paragraphs: result.index.paragraphCount,
    state: result.state,
    reason: result.reason,
    seconds: Math.round(result.timings.totalMs) / 1000,
    problems: result.problems.length,
  };
}

/** The same, as one sentence for the log line's message. */
export function sentence(result: OpenIndexResult): string {
  const problems = result.problems.length
    ? `, ${result.problems.length} problem(s) in the corpus (run \`npm run index\` to list them)`
    : '';
  return `${result.index.articleCount} articles, ${result.index.paragraphCount} paragraphs; index ${result.state} in ${(result.timings.totalMs / 1000).toFixed(2)} s (${result.reason})${problems}`;
}
