import { parentPort, workerData } from 'node:worker_threads';
import { runMerge, type MergeReply, type MergeSource } from './merge-worker.js';

/** The worker thread of `mergeInWorker`: runs one merge and posts its result or its error back. */
const { files, outFile } = workerData as { files: MergeSource[]; outFile: string };
let reply: MergeReply;
try {
  reply = { ok: true, result: runMerge(files, outFile) };
} catch (error) {
  reply = error instanceof Error ? { ok: false, message: error.message, stack: error.stack } : { ok: false, message: String(error) };
}
if (!parentPort) throw new Error('merge-worker-entry runs as a worker thread only');
parentPort.postMessage(reply);
