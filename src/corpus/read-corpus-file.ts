/**
 * Reading one corpus file safely (I/O): only regular files, never more than the
 * size limit, and nothing that can block (a FIFO is never opened for a blocking read).
 */

import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import type { Problem, ProblemKind } from './article.js';
import type { CorpusLimits } from './corpus-limits.js';
import { describeFileType } from './describe-file-type.js';
import { describeFsError } from './walk-corpus.js';

/** What the file system said about a file just before it was read. */
export interface FileStamp {
  /** Modification time, ms since the epoch. */
  mtimeMs: number;
  /** Status change time (ms): `touch -r`, `cp -p` and `rsync -t` cannot set it back. */
  ctimeMs: number;
  /** Inode number: a file replaced by rename (rsync, editors) gets another. */
  ino: number;
  /** This machine's clock (ms) just before the stat: times this close to it may still move within their tick. */
  checkedAtMs: number;
}

/** A file's bytes and stamp, or the problem that kept it from being read. */
export type CorpusFileRead = { ok: true; content: Buffer; stamp: FileStamp } | { ok: false; problem: Problem };

/** Sizes in words: `50.0 MiB`, `312 KiB`, `12 bytes`. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KiB`;
  return `${bytes} bytes`;
}

/** The problem line for a file over the size limit. */
export function tooLargeMessage(bytes: number | null, limits: CorpusLimits): string {
  const size = bytes === null ? 'more than' : `${formatBytes(bytes)},`;
  return `too large: ${size} over the file size limit of ${formatBytes(limits.maxFileBytes)} (MAX_FILE_MB); not indexed`;
}

// O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, forever,
// holding one of libuv's four threads (and with it, shutdown). Regular files ignore it.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/**
 * Reads the corpus file `relPath` (posix, relative to `corpusDir`): opens it
 * without blocking, checks on the open handle that it is a regular file of at
 * most `limits.maxFileBytes` bytes, and reads at most one byte more than the
 * limit (a file that grew past it while being read is reported, not read on).
 * Problems: `unreadable file: ENOENT`, `not a regular file: FIFO (named pipe)`,
 * `too large: …`. Never throws.
 */
export async function readCorpusFile(
  corpusDir: string,
  relPath: string,
  limits: CorpusLimits,
): Promise<CorpusFileRead> {
  const fail = (kind: ProblemKind, message: string): CorpusFileRead => ({
    ok: false,
    problem: { kind, file: relPath, message },
  });
  let handle;
  try {
    handle = await open(path.join(corpusDir, ...relPath.split('/')), OPEN_FLAGS);
  } catch (error) {
    return fail('unreadable', `unreadable file: ${describeFsError(error)}`);
  }
  try {
    const checkedAtMs = Date.now();
    const stats = await handle.stat();
    if (!stats.isFile()) return fail('not_a_file', `not a regular file: ${describeFileType(stats)}; not read`);
    if (stats.size > limits.maxFileBytes) return fail('too_large', tooLargeMessage(stats.size, limits));
    const content = await readAtMost(handle, stats.size, limits.maxFileBytes);
    if (content === null) return fail('too_large', tooLargeMessage(null, limits));
    return {
      ok: true,
      content,
      stamp: { mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs, ino: stats.ino, checkedAtMs },
    };
  } catch (error) {
    return fail('unreadable', `unreadable file: ${describeFsError(error)}`);
  } finally {
    await handle.close().catch(() => {});
  }
}

/** The file's bytes, or null when there are more than `max` (it grew since the stat). */
async function readAtMost(
  handle: import('node:fs/promises').FileHandle,
  expected: number,
  max: number,
): Promise<Buffer | null> {
  // One byte of room past the expected size tells a file that grew from one that did not.
  let buffer = Buffer.allocUnsafe(Math.min(expected, max) + 1);
  let length = 0;
  for (;;) {
    if (length === buffer.length) {
      if (length > max) return null;
      const grown = Buffer.allocUnsafe(Math.min(buffer.length * 2, max + 1));
      buffer.copy(grown, 0, 0, length);
      buffer = grown;
    }
    const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
    if (bytesRead === 0) return buffer.subarray(0, length);
    length += bytesRead;
  }
}
