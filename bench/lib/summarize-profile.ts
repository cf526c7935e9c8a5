/** Reads a `--cpu-prof` profile and ranks functions by self time. */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { SourceMap, type SourceMapPayload } from 'node:module';
import type { ProfileSummary } from './bench-results.js';

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number } }[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/**
 * The top 15 functions by self time in the (first) `.cpuprofile` under `dir`.
 * With `window` ([start, end] in µs of the monotonic clock, the clock V8's
 * profiler uses), only samples inside it count; if none fall inside (another
 * clock), all samples count and `windowed` is false.
 */
export async function summarizeProfile(dir: string, window?: [number, number]): Promise<Omit<ProfileSummary, 'times'>> {
  const file = (await readdir(dir)).find((name) => name.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no .cpuprofile in ${dir}`);
  const profile = JSON.parse(await readFile(path.join(dir, file), 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  // tsx compiles each module to one line; `sourcemaps.json` (written by the child) maps positions back.
  const maps = new Map<string, SourceMap>();
  const mapsFile = path.join(dir, 'sourcemaps.json');
  try {
    const payloads = JSON.parse(await readFile(mapsFile, 'utf8')) as Record<string, SourceMapPayload>;
    for (const [url, payload] of Object.entries(payloads)) maps.set(url, new SourceMap(payload));
  } catch {
    // No maps: positions stay as compiled.
  }
  const sourceLine = (url: string, line: number, column: number): number | null => {
    const entry = maps.get(url)?.findEntry(line, column) as { originalLine?: number } | undefined;
    return entry?.originalLine === undefined ? null : entry.originalLine + 1;
  };
  const tally = (windowOnly: boolean) => {
    const self = new Map<string, { name: string; where: string; us: number }>();
    let total = 0;
    let time = profile.startTime;
    profile.samples.forEach((id, i) => {
      const delta = profile.timeDeltas[i] ?? 0;
      time += delta;
      if (windowOnly && window && (time < window[0] || time > window[1])) return;
      const frame = byId.get(id)?.callFrame;
      if (!frame) return;
      const shortUrl = frame.url.replace(/^file:\/\/.*?\/(src|bench|node_modules)\//, '$1/');
      const line = /\.ts$/.test(shortUrl)
        ? sourceLine(frame.url, frame.lineNumber, frame.columnNumber)
        : frame.lineNumber + 1;
      const where = !frame.url ? '' : line === null ? shortUrl : `${shortUrl}:${line}`;
      const name = frame.functionName || '(anonymous)';
      const key = `${name}@${where}`;
      const entry = self.get(key) ?? { name, where, us: 0 };
      entry.us += delta;
      self.set(key, entry);
      total += delta;
    });
    return { self, total };
  };
  let windowed = Boolean(window);
  let { self, total } = tally(true);
  if (total === 0) {
    windowed = false;
    ({ self, total } = tally(false));
  }
  const top = [...self.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, 15)
    .map((e) => ({ name: e.name, where: e.where, selfMs: e.us / 1000, share: total ? e.us / total : 0 }));
  return { totalMs: total / 1000, windowed, top };
}
