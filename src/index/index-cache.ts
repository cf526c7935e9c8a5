import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { CorpusFile, Problem } from '../corpus/article.js';
import { ANALYZER_VERSION } from '../analysis/analyzer-version.js';
import { PARSER_VERSION } from '../corpus/parser-version.js';
import { packageVersion } from '../package-version.js';
import type { ArchiveIndex } from './archive-index.js';
import { SNAPSHOT_FORMAT_VERSION, decodeSnapshot, encodeSnapshot } from './snapshot-format.js';
import { validateManifest } from './validate-manifest.js';
import { removeStaleTempFiles, writeFileAtomic } from './write-file-atomic.js';

const MANIFEST = 'manifest.json';

/** MiniSearch's package version: a snapshot from another version is rebuilt. */
export const MINISEARCH_VERSION = packageVersion('minisearch');

/** What `index-cache/manifest.json` records about the snapshot beside it. */
export interface SnapshotManifest {
  formatVersion: number;
  analyzerVersion: string;
  /** The corpus parser that produced the articles in the snapshot. */
  parserVersion: string;
  miniSearchVersion: string;
  /** The corpus the snapshot was built from: each file's path, size and sha256. */
  corpus: CorpusFile[];
  /** Problems found while parsing those files, kept so a start from the snapshot can still report them. */
  problems: Problem[];
  snapshot: { file: string; size: number; sha256: string };
  articles: number;
  paragraphs: number;
  createdAt: string;
}

/** The outcome of reading the cache: a usable index, or why not. */
export type CacheRead =
  | { ok: true; index: ArchiveIndex; manifest: SnapshotManifest }
  | { ok: false; reason: string; /** true when files exist but are unusable (they are then set aside) */ bad: boolean };

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Reads the manifest and checks the versions it records. Does not read the snapshot.
 */
export async function readManifest(cacheDir: string): Promise<{ ok: true; manifest: SnapshotManifest } | { ok: false; reason: string; bad: boolean }> {
  let text: string;
  try {
    text = await readFile(path.join(cacheDir, MANIFEST), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, reason: code === 'ENOENT' ? 'no snapshot yet' : `manifest unreadable (${code ?? 'error'})`, bad: code !== 'ENOENT' };
  }
  let manifest: SnapshotManifest;
  try {
    manifest = JSON.parse(text) as SnapshotManifest;
  } catch {
    return { ok: false, reason: 'manifest is not valid JSON', bad: true };
  }
  const malformed = validateManifest(manifest);
  if (malformed !== null) return { ok: false, reason: `manifest is malformed: ${malformed}`, bad: true };
  if (manifest.formatVersion !== SNAPSHOT_FORMAT_VERSION) return { ok: false, reason: `snapshot format ${manifest.formatVersion} is not ${SNAPSHOT_FORMAT_VERSION}`, bad: true };
  if (manifest.analyzerVersion !== ANALYZER_VERSION) return { ok: false, reason: `analyzer changed (${manifest.analyzerVersion} → ${ANALYZER_VERSION})`, bad: true };
  if (manifest.parserVersion !== PARSER_VERSION) return { ok: false, reason: `corpus parser changed (${manifest.parserVersion} → ${PARSER_VERSION})`, bad: true };
  if (manifest.miniSearchVersion !== MINISEARCH_VERSION) return { ok: false, reason: `MiniSearch ${manifest.miniSearchVersion} → ${MINISEARCH_VERSION}`, bad: true };
  if (!/^snapshot-[0-9a-f]{16}\.bin$/.test(manifest.snapshot.file)) return { ok: false, reason: 'manifest names an unexpected snapshot file', bad: true };
  return { ok: true, manifest };
}

/**
 * Loads the snapshot a valid manifest points to: checks its size and sha256
 * (truncation, bit flips), then decodes it (which checks its structure).
 */
export async function readSnapshot(cacheDir: string, manifest: SnapshotManifest): Promise<CacheRead> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path.join(cacheDir, manifest.snapshot.file));
  } catch (error) {
    return { ok: false, reason: `snapshot unreadable (${(error as NodeJS.ErrnoException).code ?? 'error'})`, bad: true };
  }
  if (bytes.byteLength !== manifest.snapshot.size) return { ok: false, reason: `snapshot is ${bytes.byteLength} bytes, expected ${manifest.snapshot.size} (truncated?)`, bad: true };
  if (sha256(bytes) !== manifest.snapshot.sha256) return { ok: false, reason: 'snapshot checksum mismatch (corrupt)', bad: true };
  try {
    const index = decodeSnapshot(bytes);
    if (index.articleCount !== manifest.articles || index.paragraphCount !== manifest.paragraphs) {
      return { ok: false, reason: 'snapshot counts disagree with its manifest', bad: true };
    }
    return { ok: true, index, manifest };
  } catch (error) {
    return { ok: false, reason: `snapshot is invalid: ${(error as Error).message}`, bad: true };
  }
}

/**
 * Saves the index as a snapshot: the snapshot file under a content-derived name
 * first, then the manifest that points to it (each written atomically), then
 * removes older snapshot files. A crash at any point leaves either the old
 * manifest with its old snapshot or the new pair, never a manifest pointing to a
 * half-written file.
 */
export async function writeSnapshot(
  cacheDir: string,
  index: ArchiveIndex,
  corpus: CorpusFile[],
  problems: Problem[],
): Promise<SnapshotManifest> {
  await mkdir(cacheDir, { recursive: true });
  await removeStaleTempFiles(cacheDir);
  const bytes = encodeSnapshot(index);
  const digest = sha256(bytes);
  const file = `snapshot-${digest.slice(0, 16)}.bin`;
  await writeFileAtomic(path.join(cacheDir, file), bytes);
  const manifest: SnapshotManifest = {
    formatVersion: SNAPSHOT_FORMAT_VERSION,
    analyzerVersion: ANALYZER_VERSION,
    parserVersion: PARSER_VERSION,
    miniSearchVersion: MINISEARCH_VERSION,
    corpus,
    problems,
    snapshot: { file, size: bytes.byteLength, sha256: digest },
    articles: index.articleCount,
    paragraphs: index.paragraphCount,
    createdAt: new Date().toISOString(),
  };
  await writeFileAtomic(path.join(cacheDir, MANIFEST), JSON.stringify(manifest));
  for (const name of await readdir(cacheDir)) {
    if ((/^snapshot-[0-9a-f]{16}\.bin$/.test(name) && name !== file) || /\.tmp-\d+$/.test(name)) {
      await rm(path.join(cacheDir, name), { force: true });
    }
  }
  return manifest;
}

/**
 * Moves an unusable cache aside (into `<cacheDir>/set-aside/`, replacing what an
 * earlier set-aside left) so it can be inspected, and the next write starts clean.
 */
export async function setAsideCache(cacheDir: string): Promise<void> {
  const aside = path.join(cacheDir, 'set-aside');
  await rm(aside, { recursive: true, force: true });
  await mkdir(aside, { recursive: true });
  for (const name of await readdir(cacheDir)) {
    if (name === 'set-aside' || name.startsWith('.')) continue;
    await rename(path.join(cacheDir, name), path.join(aside, name));
  }
}
