/**
 * Atomic file writes for the index cache, which leave no temporary file behind
 * when they fail (a full disk must not stay full because of our leftovers).
 */

import { open, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/** Temporary files of {@link writeFileAtomic}: `<name>.tmp-<pid>`. */
const TEMPORARY = /\.tmp-(\d+)$/;

/** True when a process with this id is running (and so may be writing its temporary file now). */
function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Writes `bytes` to `file` atomically: a temporary file in the same folder,
 * fsync, rename over `file`, fsync the folder. On any failure (ENOSPC, EROFS,
 * EIO…) the temporary file is removed and the original error is thrown, so the
 * caller can name it; `file` keeps its old content.
 */
export async function writeFileAtomic(file: string, bytes: Uint8Array | string): Promise<void> {
  const temporary = `${file}.tmp-${process.pid}`;
  try {
    const handle = await open(temporary, 'w');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => {});
    throw error;
  }
  await syncFolder(path.dirname(file));
}

async function syncFolder(folder: string): Promise<void> {
  try {
    const handle = await open(folder, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some file systems cannot fsync a folder; the rename is still atomic.
  }
}

/**
 * Removes the temporary files in `folder` left by writes that died (a crash, a
 * kill, a power cut): those whose process is no longer running. Called before
 * writing, so their space is free for the new write. Returns the names removed;
 * never throws (a folder that cannot be listed yields `[]`).
 */
export async function removeStaleTempFiles(folder: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const match = TEMPORARY.exec(name);
    if (!match || (Number(match[1]) !== process.pid && isRunning(Number(match[1])))) continue;
    try {
      await rm(path.join(folder, name), { force: true });
      removed.push(name);
    } catch {
      // Left for the next write to try again.
    }
  }
  return removed;
}
