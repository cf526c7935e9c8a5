/**
 * Memory of a process and its descendants, read from Linux `/proc` (empty lists
 * elsewhere): resident set now (VmRSS) and its high-water mark (VmHWM), per process.
 */
import { readFileSync, readdirSync } from 'node:fs';

/** One process's memory, bytes. */
export interface ProcessMemory {
  pid: number;
  /** Resident set size now. */
  rss: number;
  /** Peak resident set size so far (VmHWM). */
  hwm: number;
}

/** `pid` and every descendant of it alive now (breadth first). */
export function processTree(pid: number): number[] {
  const parents = new Map<number, number>();
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  for (const name of entries) {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // The command name may hold spaces: fields after the closing paren are fixed.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(name), ppid);
    } catch {
      // The process ended while we looked.
    }
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) for (const [child, parent] of parents) if (parent === tree[i]) tree.push(child);
  return tree;
}

/** VmRSS and VmHWM of `pid` and each of its descendants. */
export function processTreeMemory(pid: number): ProcessMemory[] {
  return processTree(pid).flatMap((p) => {
    try {
      const status = readFileSync(`/proc/${p}/status`, 'utf8');
      const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN) * 1024;
      const rss = kb('VmRSS');
      return Number.isFinite(rss) ? [{ pid: p, rss, hwm: kb('VmHWM') }] : [];
    } catch {
      return [];
    }
  });
}

/** Resident set size in bytes of `pid` and each of its descendants. */
export function processTreeRss(pid: number): { pid: number; rss: number }[] {
  return processTreeMemory(pid).map(({ pid: p, rss }) => ({ pid: p, rss }));
}
