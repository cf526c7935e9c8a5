import path from 'node:path';
import type { Commit } from './index-cache.js';
import type { SegmentFault } from './segments/verify-segment-files.js';
import { runInWorker } from './segments/worker-thread.js';

export type { SegmentFault } from './segments/verify-segment-files.js';

/**
 * Checks every byte of the segments `commit` names in `cacheDir` in a worker
 * thread at low priority, so the event loop keeps answering while it reads
 * (about 2 GB/s of checksums on one core: a few seconds at 48×). Resolves with
 * the files that fail their checksums (empty: all good); rejects only when the
 * worker itself cannot run.
 */
export function verifyInBackground(cacheDir: string, commit: Commit): Promise<SegmentFault[]> {
  return runInWorker<SegmentFault[]>({
    task: 'verify',
    files: commit.segments.map((s) => path.join(cacheDir, s.file)),
  });
}
