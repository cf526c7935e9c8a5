import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

/**
 * Writes `file` atomically: `content` (bytes, or a function writing to the
 * descriptor) goes to a temporary name in the same folder (`<file>.tmp-<pid>`),
 * is fsynced, renamed to `file`, and the folder fsynced so the rename survives a
 * crash. On any failure (a full disk…) the temporary file is removed and the
 * error thrown: the old `file`, if any, is untouched.
 */
export function writeFileAtomic(file: string, content: Uint8Array | ((fd: number) => void)): void {
  const temporary = `${file}.tmp-${process.pid}`;
  try {
    const fd = openSync(temporary, 'w');
    try {
      if (typeof content === 'function') content(fd);
      else {
        let done = 0;
        while (done < content.length) done += writeSync(fd, content, done, content.length - done);
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  syncFolder(path.dirname(file));
}

/** Fsyncs a folder, so a rename into it is durable (a no-op where folders cannot be opened or synced). */
export function syncFolder(folder: string): void {
  let fd: number;
  try {
    fd = openSync(folder, 'r');
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on a folder; the rename is then as durable as they make it.
  } finally {
    closeSync(fd);
  }
}
