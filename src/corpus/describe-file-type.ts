/**
 * Names for the kinds of file system entry that are not regular files.
 */

import type { Stats, Dirent } from 'node:fs';

/**
 * What kind of entry `entry` is, in words for a problem line: `folder`,
 * `FIFO (named pipe)`, `socket`, `character device`, `block device`,
 * `symbolic link`, or `regular file`; `unknown file type` otherwise.
 */
export function describeFileType(entry: Stats | Dirent): string {
  if (entry.isFile()) return 'regular file';
  if (entry.isDirectory()) return 'folder';
  if (entry.isFIFO()) return 'FIFO (named pipe)';
  if (entry.isSocket()) return 'socket';
  if (entry.isCharacterDevice()) return 'character device';
  if (entry.isBlockDevice()) return 'block device';
  if (entry.isSymbolicLink()) return 'symbolic link';
  return 'unknown file type';
}
