import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { runMerge } from './merge-worker.js';
import { helpFlush, writeSegmentFile } from './build-segment.js';
import { applyDelta, lexiconOf } from '../lexicon/lexicon.js';
import { FormsLexicon } from '../lexicon/lexicon.js';
import { Segment } from './segment-reader.js';
import { verifySegmentFiles } from './verify-segment-files.js';
import type { WorkerReply, WorkerTask } from './worker-thread.js';

/** Nice value of segment work (flushes, merges): the main thread's searches come first. */
const BACKGROUND_NICE = 10;

/** The worker thread of `runInWorker`: runs each task it is sent and posts its result or its error back. */
function run(task: WorkerTask): WorkerReply<unknown> {
  try {
    if (task.task === 'merge') return { ok: true, result: runMerge(task.files, task.outFile) };
    if (task.task === 'compactLexicon') {
      const base = FormsLexicon.decode(
        Buffer.from(task.lexicon.buffer, task.lexicon.byteOffset, task.lexicon.byteLength),
        { checkBody: false },
      );
      return { ok: true, result: applyDelta(base, new Map(task.changes)).encode() };
    }
    if (task.task === 'verify') return { ok: true, result: verifySegmentFiles(task.files) };
    if (task.task === 'flush') return { ok: true, result: writeSegmentFile(task.articles, task.outFile, task.helper) };
    if (task.task === 'help') {
      helpFlush(task.articles, task.outFile, task.flush);
      return { ok: true, result: 0 };
    }
    // The forms' document counts, read from the segment's own dictionaries (no second tokenizing).
    const bytes = writeSegmentFile(task.articles, task.outFile);
    const segment = Segment.open(task.outFile, 'new');
    const forms = [...lexiconOf([segment]).entries()].map(({ form, df }): [string, number] => [form, df]);
    segment.close();
    return { ok: true, result: { bytes, forms } };
  } catch (error) {
    return error instanceof Error
      ? { ok: false, message: error.message, stack: error.stack }
      : { ok: false, message: String(error) };
  }
}

// Below the main thread, which answers searches: on Linux the nice value of `setPriority(pid 0)` is this
// thread's alone. Where it is refused, the work runs at the usual priority.
try {
  setPriority(BACKGROUND_NICE);
} catch {
  // Not permitted here: no matter.
}
if (!parentPort) throw new Error('segment-worker-entry runs as a worker thread only');
const port = parentPort;
port.on('message', (task: WorkerTask) => port.postMessage(run(task)));
