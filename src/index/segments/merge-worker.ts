import { closeSync, fstatSync, openSync, renameSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { runInWorker } from './worker-thread.js';
import { liveTotals, mergeSegments } from './merge-segments.js';
import { Segment } from './segment-reader.js';
import { syncFolder } from './atomic-file.js';
import type { MergeSource } from './merge-source.js';

export type { MergeSource };
import { writeMergedSignatures } from './signature-file.js';

/**
 * Merges off the event loop: a worker thread opens the source segments,
 * merges them into a temporary file, fsyncs it and renames it to its final
 * name. The merged segment is not live until the index writer's commit file
 * (written afterwards) names it, so a crash at any point leaves the previous
 * commit's segments as they were; what a crash can leave behind is a
 * temporary file (see {@link MERGE_TEMP_SUFFIX}) or a segment no commit names,
 * both safe to delete.
 */

/** What a merge wrote. */
export interface MergeResult {
  /** Path of the merged segment (the `outFile` asked for). */
  file: string;
  /** Its size, in bytes. */
  bytes: number;
  /** Live articles and paragraphs it holds (all of its articles and paragraphs). */
  articles: number;
  paragraphs: number;
  /** Wall time of the merge in the worker, in milliseconds (opening the sources to the rename). */
  ms: number;
}

/** Ending of the temporary file a merge writes before its rename: `<outFile>.<pid>-<n>.merging`. */
export const MERGE_TEMP_SUFFIX = '.merging';

let tempCounter = 0;

/**
 * Runs a merge in the calling thread (the worker calls this; so can a test or a
 * command-line tool that may block). Writes `outFile` atomically: a temporary
 * file in the same folder, fsynced, renamed, then the folder fsynced so the
 * rename itself survives a crash. Throws (leaving no temporary file) when a
 * source is missing, corrupt or of another version, or the sources disagree.
 */
export function runMerge(files: readonly MergeSource[], outFile: string): MergeResult {
  const started = performance.now();
  const sources: Segment[] = [];
  const temp = join(dirname(outFile), `${basename(outFile)}.${process.pid}-${++tempCounter}${MERGE_TEMP_SUFFIX}`);
  let fd: number | null = null;
  try {
    for (const { file, name, deleted } of files) {
      const segment = Segment.open(file, name);
      sources.push(segment);
      if (deleted) segment.setDeleted(deleted);
    }
    const totals = liveTotals(sources);
    fd = openSync(temp, 'wx');
    mergeSegments(sources, fd); // fsyncs the file
    const bytes = fstatSync(fd).size;
    closeSync(fd);
    fd = null;
    renameSync(temp, outFile);
    syncFolder(dirname(outFile));
    writeMergedSignatures(sources, outFile);
    return { file: outFile, bytes, ...totals, ms: performance.now() - started };
  } catch (error) {
    if (fd !== null) closeSync(fd);
    try {
      unlinkSync(temp);
    } catch {
      // Not created, or already renamed.
    }
    throw error;
  } finally {
    for (const s of sources) s.close();
  }
}

/**
 * Merges the segment files `files` (in order, their deletions dropped) into
 * `outFile` (a new name: an existing file there is replaced) in a worker
 * thread, so the event loop keeps serving searches. Resolves with what was
 * written once `outFile` is durable under its final name; rejects with an
 * Error carrying the worker's message and stack when the merge fails, leaving
 * `outFile` unwritten. The caller commits the result and drops the sources;
 * deletions made in the sources while the merge runs are its to carry over
 * (by article id: `merged.findArticle(id)`).
 */
export function mergeInWorker(files: readonly MergeSource[], outFile: string): Promise<MergeResult> {
  return runInWorker<MergeResult>({
    task: 'merge',
    files: files.map((f) => ({ file: f.file, name: f.name, deleted: f.deleted })),
    outFile,
  });
}
