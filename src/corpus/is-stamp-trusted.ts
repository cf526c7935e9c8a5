/**
 * When a corpus file's recorded fingerprint may be trusted without reading the
 * file again: the racy-timestamp rule git's index uses, with the times that
 * `touch` cannot set back.
 */

import type { CorpusFile } from './article.js';
import type { FileStamp } from './read-corpus-file.js';

/**
 * How close (ms) to the moment a file was checked its modification or change
 * time may be and still hide a later write: 2 s, the coarsest timestamp of the
 * file systems a corpus lives on (FAT and exFAT; HFS+, SMB and some NFS and
 * container mounts keep 1 s).
 */
export const RACY_WINDOW_MS = 2000;

/**
 * True when `recorded` can be kept for a file whose stat is now `current`
 * without re-hashing it. All of these must hold:
 * - the recorded fingerprint has a full stamp (older manifests do not: re-hash once);
 * - size, modification time, change time and inode number are unchanged (a
 *   `touch -r`, `cp -p`, `rsync -t` or `tar x` sets the modification time back
 *   but not the change time; a rename onto the file changes the inode);
 * - both times were at least {@link RACY_WINDOW_MS} before the recorded check,
 *   so a write in the same timestamp tick as the read cannot have been missed.
 * A file that fails the last test is re-hashed at every check until its times
 * are old enough, then trusted.
 */
export function isStampTrusted(
  recorded: CorpusFile,
  current: { size: number } & Omit<FileStamp, 'checkedAtMs'>,
): boolean {
  const { mtimeMs, ctimeMs, ino, checkedAtMs } = recorded;
  if (mtimeMs === undefined || ctimeMs === undefined || ino === undefined || checkedAtMs === undefined) return false;
  return (
    recorded.size === current.size &&
    mtimeMs === current.mtimeMs &&
    ctimeMs === current.ctimeMs &&
    ino === current.ino &&
    Math.max(mtimeMs, ctimeMs) < checkedAtMs - RACY_WINDOW_MS
  );
}
