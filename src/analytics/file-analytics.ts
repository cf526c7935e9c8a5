import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { addDay, emptyDay, type DayCounts } from './day-counts.js';
import type { AnalyticsBackend } from './search-analytics.js';

/** Format version of an analytics file. */
const FORMAT = 1;
const FILE = /^analytics-([A-Za-z0-9_-]+)\.json$/;

interface AnalyticsFile {
  format: number;
  days: Record<string, DayCounts>;
}

/** The days of an analytics file (empty when it is missing, unreadable or of another format). */
function readDays(file: string): Map<string, DayCounts> {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as AnalyticsFile;
    if (parsed.format !== FORMAT || typeof parsed.days !== 'object' || parsed.days === null) return new Map();
    return new Map(Object.entries(parsed.days).map(([day, counts]) => [day, { ...emptyDay(), ...counts }]));
  } catch {
    return new Map();
  }
}

/**
 * Analytics kept in small JSON files in one folder, one file per process (`analytics-<name>.json`,
 * written whole and renamed into place, so a crash leaves the last complete write). A report sums
 * this process's counts (in memory) and every other process's file: the workers of one node
 * (`WORKERS`) are summed that way.
 */
export class FileAnalytics implements AnalyticsBackend {
  private readonly file: string;
  private readonly own: Map<string, DayCounts>;

  /** Opens (creating the folder) the file of process `name` in `dir`. */
  constructor(
    private readonly dir: string,
    name: string,
  ) {
    if (!/^[A-Za-z0-9_-]+$/.test(name)) throw new Error(`bad analytics file name: ${name}`);
    mkdirSync(dir, { recursive: true });
    this.file = path.join(dir, `analytics-${name}.json`);
    this.own = readDays(this.file);
  }

  private write(): void {
    const body: AnalyticsFile = {
      format: FORMAT,
      days: Object.fromEntries([...this.own].sort((a, b) => (a[0] < b[0] ? -1 : 1))),
    };
    const temporary = `${this.file}.tmp`;
    writeFileSync(temporary, JSON.stringify(body));
    renameSync(temporary, this.file);
  }

  async add(days: ReadonlyMap<string, DayCounts>): Promise<void> {
    for (const [day, counts] of days) {
      const kept = this.own.get(day);
      if (kept) addDay(kept, counts);
      else this.own.set(day, structuredClone(counts));
    }
    this.write();
  }

  async prune(day: string): Promise<void> {
    let dropped = false;
    for (const kept of [...this.own.keys()]) if (kept < day) dropped = this.own.delete(kept) || dropped;
    if (dropped) this.write();
  }

  async read(from: string, to: string): Promise<Map<string, DayCounts>> {
    const sum = new Map<string, DayCounts>();
    const addAll = (days: ReadonlyMap<string, DayCounts>) => {
      for (const [day, counts] of days) {
        if (day < from || day > to) continue;
        let into = sum.get(day);
        if (!into) sum.set(day, (into = emptyDay()));
        addDay(into, counts, false);
      }
    };
    addAll(this.own);
    for (const name of readdirSync(this.dir)) {
      if (FILE.test(name) && path.join(this.dir, name) !== this.file) addAll(readDays(path.join(this.dir, name)));
    }
    return sum;
  }

  async close(): Promise<void> {}
}
