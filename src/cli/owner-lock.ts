import {
  closeSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SearchError } from '../errors.js';

/** The lock file a process that owns a folder (an index cache, a journal) keeps in it. */
export const LOCK_FILE = '.owner.lock';
/** Seconds between two touches of a held lock's time (its heartbeat, for owners on other hosts). */
export const HEARTBEAT_S = 10;
/**
 * Seconds after which a lock whose owner cannot be checked (another host, a
 * container with its own process ids) counts as abandoned when nobody touched it.
 */
export const STALE_AFTER_S = 60;

/** What a lock file says of its owner. */
interface Owner {
  pid: number;
  host: string;
  /** The owner's start, as the kernel counts it (`/proc/<pid>/stat` field 22), when known: a reused pid has another. */
  started: string | null;
  /** What the owner does there (`npm start`, `index`), for the refusal's message. */
  command: string;
  since: string;
}

/** A held lock: `release` removes the lock file (also done at the process's exit). */
export interface OwnerLock {
  readonly file: string;
  release(): void;
}

/** Field 22 of `/proc/<pid>/stat` (start time in clock ticks since boot), or null where there is no /proc. */
function startTimeOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count from its end.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(file: string): Owner | null {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as Partial<Owner>;
    if (typeof value.pid !== 'number' || typeof value.host !== 'string') return null;
    return {
      pid: value.pid,
      host: value.host,
      started: value.started ?? null,
      command: value.command ?? 'newsroom-search',
      since: value.since ?? '',
    };
  } catch {
    return null;
  }
}

/**
 * Why the lock file's owner no longer holds it, or null when it may still run:
 * on this host, a process that is gone or whose pid now belongs to another
 * process; elsewhere (or unreadable), a lock not touched for {@link STALE_AFTER_S}.
 */
function staleReason(file: string, owner: Owner | null, nowMs: number): string | null {
  if (owner && owner.host === os.hostname()) {
    if (!isAlive(owner.pid)) return `process ${owner.pid} is gone`;
    const started = startTimeOf(owner.pid);
    if (owner.started !== null && started !== null && started !== owner.started)
      return `process ${owner.pid} is another process now`;
    return null;
  }
  try {
    const ageS = (nowMs - statSync(file).mtimeMs) / 1000;
    return ageS > STALE_AFTER_S ? `not touched for ${Math.round(ageS)} s` : null;
  } catch {
    return 'gone';
  }
}

/**
 * Makes this process the only owner of `dir` (created when missing): a lock
 * file `.owner.lock` (a dot file: a set-aside of a corrupt cache leaves it) naming the process (pid, host, start time) is created
 * atomically (a hard link of a complete file, which fails when one exists).
 * A lock left by a process that died (`kill -9`) is taken over; a live owner's
 * lock makes this throw `folder_locked`, one sentence naming it, before
 * anything in the folder is read or written. The lock's time is touched every
 * {@link HEARTBEAT_S} s; it is removed by `release()` or at the process's exit.
 * Null when the folder cannot be written at all (read-only, disk full).
 */
export function lockFolder(dir: string, what: string, command: string): OwnerLock | null {
  const file = path.join(dir, LOCK_FILE);
  const mine: Owner = {
    pid: process.pid,
    host: os.hostname(),
    started: startTimeOf(process.pid),
    command,
    since: new Date().toISOString(),
  };
  const draft = `${file}.${process.pid}.new`;
  try {
    mkdirSync(dir, { recursive: true });
    const fd = openSync(draft, 'w');
    try {
      writeSync(fd, `${JSON.stringify(mine)}\n`);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    // A folder nothing can be written in (read-only, full): nobody can write there either; the
    // caller's own writes report it. There is nothing to protect, so there is no lock.
    if (['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT'].includes((error as NodeJS.ErrnoException).code ?? ''))
      return null;
    throw error;
  }
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(draft, file);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 3) throw error;
      }
      const owner = readOwner(file);
      const stale = staleReason(file, owner, Date.now());
      if (stale === null) {
        const who = owner
          ? `process ${owner.pid} on ${owner.host} (${owner.command}, since ${owner.since})`
          : 'another process';
        throw new SearchError(
          'folder_locked',
          `${what} ${dir} is in use by ${who}; stop it first, or give this one its own folders (remove ${file} only if that process is certainly gone)`,
        );
      }
      // Move the stale lock aside under a name of our own, so two starts cannot both take it over.
      const aside = `${file}.stale-${process.pid}`;
      try {
        renameSync(file, aside);
        rmSync(aside, { force: true });
      } catch {
        // Another start moved it first: try again (it may hold the lock now).
      }
    }
  } finally {
    rmSync(draft, { force: true });
  }
  const heartbeat = setInterval(() => {
    try {
      const now = new Date();
      utimesSync(file, now, now);
    } catch {
      // A folder gone or read-only now: nothing to keep fresh.
    }
  }, HEARTBEAT_S * 1000);
  heartbeat.unref();
  let held = true;
  const release = () => {
    if (!held) return;
    held = false;
    clearInterval(heartbeat);
    process.off('exit', release);
    // Only our own lock is removed (never one another process took over after a long pause).
    if (readOwner(file)?.pid === process.pid) rmSync(file, { force: true });
  };
  process.on('exit', release);
  return { file, release };
}

/** Locks each folder of `dirs` (duplicates once), in order; on a refusal, releases those taken and throws. */
export function lockFolders(dirs: readonly { dir: string; what: string }[], command: string): OwnerLock {
  const held: OwnerLock[] = [];
  const seen = new Set<string>();
  try {
    for (const { dir, what } of dirs) {
      const resolved = path.resolve(dir);
      if (seen.has(resolved)) continue;
      seen.add(resolved);
      const lock = lockFolder(resolved, what, command);
      if (lock) held.push(lock);
    }
  } catch (error) {
    for (const lock of held) lock.release();
    throw error;
  }
  return { file: held.map((l) => l.file).join(', '), release: () => held.forEach((l) => l.release()) };
}
