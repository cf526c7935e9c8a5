/**
 * Where generated scale-up corpora live and when they are reused (I/O): the N×
 * corpus is `<workDir>/scale-<N>x/` (NDJSON parts) with its figures in
 * `<workDir>/scale-<N>x.json`, written last; a corpus is reused when that file
 * names the same generator version and seed. Generation writes to a `.partial`
 * folder renamed at the end, so an interrupted run leaves nothing that looks done.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { NdjsonParts } from './ndjson-parts.js';
import { generateScaleCorpus, type ScaleCorpusStats, type TokenizeForms } from './scale-corpus.js';
import type { ScaleArticle } from './sentence-pool.js';

/** Bump when the generated text changes for the same seed: older corpora are then generated again. */
export const SCALE_GENERATOR_VERSION = 1;
/** The default seed of the scale-up corpora. */
export const SCALE_SEED = 20261129;

/** A generated corpus on disk and its figures. */
export interface ScaleCorpusRecord {
  generatorVersion: number;
  dir: string;
  bytes: number;
  files: number;
  generateSeconds: number;
  stats: ScaleCorpusStats;
}

/** The folder and figures file of the N× corpus under `workDir`. */
export function scaleCorpusPaths(workDir: string, times: number): { dir: string; figures: string } {
  return { dir: path.join(workDir, `scale-${times}x`), figures: path.join(workDir, `scale-${times}x.json`) };
}

/** The figures of the N× corpus when it is complete and was made by this generator version and `seed`, else null. */
export async function readScaleCorpus(
  workDir: string,
  times: number,
  seed = SCALE_SEED,
): Promise<ScaleCorpusRecord | null> {
  const { dir, figures } = scaleCorpusPaths(workDir, times);
  if (!existsSync(figures) || !existsSync(dir)) return null;
  try {
    const record = JSON.parse(await readFile(figures, 'utf8')) as ScaleCorpusRecord;
    return record.generatorVersion === SCALE_GENERATOR_VERSION &&
      record.stats.seed === seed &&
      record.stats.times === times
      ? { ...record, dir }
      : null;
  } catch {
    return null;
  }
}

/** The NDJSON record of one article (null fields left out). */
function toRecord(a: ScaleArticle): Record<string, unknown> {
  const record: Record<string, unknown> = { id: a.id, title: a.title };
  if (a.date) record.date = a.date;
  if (a.source) record.source = a.source;
  if (a.section) record.section = a.section;
  if (a.tags.length) record.tags = a.tags;
  record.paragraphs = a.paragraphs;
  return record;
}

/**
 * The N× corpus under `workDir`: reused when complete, else generated from
 * `source` (streamed to NDJSON parts of about 4 MiB). `log` gets a line per copy.
 */
export async function ensureScaleCorpus(
  workDir: string,
  times: number,
  source: readonly ScaleArticle[],
  tokenize: TokenizeForms,
  options: { seed?: number; log?: (line: string) => void } = {},
): Promise<ScaleCorpusRecord> {
  const seed = options.seed ?? SCALE_SEED;
  const existing = await readScaleCorpus(workDir, times, seed);
  if (existing) return existing;
  const { dir, figures } = scaleCorpusPaths(workDir, times);
  const partial = `${dir}.partial`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  const started = performance.now();
  const parts = new NdjsonParts(partial);
  let written = 0;
  const stats = await generateScaleCorpus(source, { times, seed, tokenize }, async (article) => {
    await parts.write(toRecord(article));
    if (++written % source.length === 0) {
      options.log?.(
        `${times}×: ${written / source.length} of ${times} copies, ${(parts.bytes / 1e6).toFixed(0)} MB, ${((performance.now() - started) / 1000).toFixed(0)} s`,
      );
    }
  });
  await parts.close();
  await rm(figures, { force: true });
  await rm(dir, { recursive: true, force: true });
  await rename(partial, dir);
  const record: ScaleCorpusRecord = {
    generatorVersion: SCALE_GENERATOR_VERSION,
    dir,
    bytes: parts.bytes,
    files: parts.parts,
    generateSeconds: (performance.now() - started) / 1000,
    stats,
  };
  await writeFile(figures, `${JSON.stringify(record, null, 1)}\n`);
  return record;
}
