import { performance } from 'node:perf_hooks';
import type { ArchiveIndex } from '../index/archive-index.js';
import { duplicateGroupsOf } from '../index/duplicate-groups.js';
import { warmPostings } from '../index/warm-postings.js';
import { warmCorrections } from '../query/plan/did-you-mean.js';
import type { Logger } from '../log/create-logger.js';
import type { WarmUp } from './serve-state.js';

/**
 * Starts the background work after an index is published, between requests:
 * the most frequent terms' postings decoded, so early queries do not pay for
 * them, the forms a correction looks in listed, and the near-duplicate groups built. Returns the flags each sets once
 * done (`/health`'s `warmedUp`); a failed warm-up is logged and counts as done.
 */
export function warmUpIndex(index: ArchiveIndex, logger: Logger): WarmUp {
  // Decode the most frequent terms' postings between requests, so early queries do not pay for them.
  const warming = performance.now();
  // The near-duplicate groups are built once, here rather than in the first grouped search (a few seconds at
  // 20,000 articles), a batch at a time between requests; later readers update them with what changed.
  const thisWarmUp: WarmUp = { postings: false, duplicateGroups: false };
  void duplicateGroupsOf(index)
    .warm(index)
    .finally(() => (thisWarmUp.duplicateGroups = true));
  warmPostings(index)
    // The forms a "did you mean" looks in, once the postings are in.
    .then((postings) => {
      warmCorrections(index);
      return postings;
    })
    .then((postings) =>
      logger.info(
        { component: 'index', postings, ms: Math.round(performance.now() - warming) },
        `postings of the most frequent terms decoded (${postings.toLocaleString('en')})`,
      ),
    )
    .catch((error: unknown) => logger.warn({ component: 'index', err: error }, 'could not warm the postings cache'))
    .finally(() => (thisWarmUp.postings = true));
  return thisWarmUp;
}
