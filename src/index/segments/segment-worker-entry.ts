import { parentPort, workerData } from 'node:worker_threads';
import { runMerge } from './merge-worker.js';
import { writeSegmentFile } from './build-segment.js';
import type { WorkerReply, WorkerTask } from './worker-thread.js';

/** The worker thread of `runInWorker`: runs one task and posts its result or its error back. */
const task = workerData as WorkerTask;
let reply: WorkerReply<unknown>;
try {
  reply = { ok: true, result: task.task === 'merge' ? runMerge(task.files, task.outFile) : writeSegmentFile(task.articles, task.outFile) };
} catch (error) {
  reply = error instanceof Error ? { ok: false, message: error.message, stack: error.stack } : { ok: false, message: String(error) };
}
if (!parentPort) throw new Error('segment-worker-entry runs as a worker thread only');
parentPort.postMessage(reply);
