import { readdirSync, readFileSync, renameSync, rmSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { CorpusFile, Problem } from '../corpus/article.js';
import { ANALYZER_VERSION } from '../analysis/analyzer-version.js';
import { PARSER_VERSION } from '../corpus/parser-version.js';
import { signatureFileOf } from './segments/signature-file.js';
import { Segment } from './segments/segment-reader.js';
import { SEGMENT_FORMAT_VERSION } from './segments/segment-writer.js';
import { FormsLexicon } from './lexicon/lexicon.js';
import { MERGE_TEMP_SUFFIX } from './segments/merge-worker.js';
import { validateCommit } from './validate-commit.js';
import { CorruptIndexError } from '../errors.js';
import { decodeDeletes } from './deletions-file.js';

/**
 * The index cache folder: segment files (`seg-000001.nrs`), their deletions
 * (`seg-000001.3.del`), the lexicon of word forms (`lexicon-3.bin`) and the
 * commit (`commit.json`) that names the live ones. Every file is written (by
 * `IndexWriter`, the only code that writes here) to a
 * temporary name, fsynced and renamed; the commit is written last, so a crash
 * at any point leaves the previous commit and the files it names. Files no
 * commit names (left by a crash or replaced by a merge) are removed after each
 * commit and when the cache is opened.
 */
export const COMMIT_FILE = 'commit.json';
/** Version of the cache layout (commit, deletions and lexicon files). */
export const CACHE_FORMAT_VERSION = 3;

/** One live segment as the commit records it. */
export interface CommitSegment {
  file: string;
  articles: number;
  paragraphs: number;
  bytes: number;
  /** Its deletions file, or null when none of its articles is deleted. */
  deletes: string | null;
}

/** What `commit.json` records. */
export interface Commit {
  formatVersion: number;
  segmentFormatVersion: number;
  analyzerVersion: string;
  parserVersion: string;
  /** Bumped by every commit. */
  generation: number;
  segments: CommitSegment[];
  /** The lexicon file (word forms with frequencies over the live segments). */
  lexicon: string;
  /** The corpus the index holds: each file's path, size, sha256 and modification time. */
  corpus: CorpusFile[];
  /** Problems found while parsing those files, so a start from the cache still reports them. */
  problems: Problem[];
  articles: number;
  paragraphs: number;
  createdAt: string;
  /** The API's writes (see `ArticleOverrides`) applied: the log's epoch and last sequence number. Absent: none. */
  overrides?: { epoch: string; seq: number };
  /** Corpus files holding drafts or embargoed articles (kept out of the segments): read again at every start. */
  heldFiles?: string[];
}

/** What a commit records besides the segments: the corpus it holds and the API's writes applied. */
export interface CommitRecord {
  /** The corpus files the index holds, and their parse problems. */
  corpus: { files: CorpusFile[]; problems: Problem[] };
  /** The API's writes applied (the journal's epoch and last sequence number), and the corpus files holding held articles. */
  live?: { overrides?: { epoch: string; seq: number }; heldFiles?: string[] };
}

/** The commit (what `commit.json` holds) of generation `generation` naming `entries` and `lexicon` (pure: writes nothing). */
export function describeCommit(
  generation: number,
  entries: CommitSegment[],
  lexicon: string,
  segments: readonly Segment[],
  record: CommitRecord,
): Commit {
  const live = record.live ?? {};
  return {
    formatVersion: CACHE_FORMAT_VERSION,
    segmentFormatVersion: SEGMENT_FORMAT_VERSION,
    analyzerVersion: ANALYZER_VERSION,
    parserVersion: PARSER_VERSION,
    generation,
    segments: entries,
    lexicon,
    corpus: record.corpus.files,
    problems: record.corpus.problems,
    articles: segments.reduce((n, s) => n + s.liveCount, 0),
    paragraphs: segments.reduce((n, s) => n + s.liveParagraphCount, 0),
    createdAt: new Date().toISOString(),
    ...(live.overrides ? { overrides: live.overrides } : {}),
    ...(live.heldFiles?.length ? { heldFiles: [...live.heldFiles].sort() } : {}),
  };
}

const SEGMENT_NAME = /^seg-\d{6,}\.nrs$/;
const DELETES_NAME = /^seg-\d{6,}\.\d+\.del$/;
/** A segment's content signatures (see `signature-file.ts`): removed with their segment. */
const SIGNATURES_NAME = /^seg-\d{6,}\.sig$/;
const LEXICON_NAME = /^lexicon-\d+\.bin$/;

/** The commit of a cache folder, or why there is none usable (`bad`: files exist but are unusable, to set aside). */
export function readCommit(
  cacheDir: string,
): { ok: true; commit: Commit } | { ok: false; reason: string; bad: boolean } {
  let text: string;
  try {
    text = readFileSync(path.join(cacheDir, COMMIT_FILE), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { ok: false, reason: 'no index yet', bad: hasOldSnapshot(cacheDir) };
    return { ok: false, reason: `commit unreadable (${code ?? 'error'})`, bad: true };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'commit is not valid JSON', bad: true };
  }
  const problem = validateCommit(parsed);
  if (problem) return { ok: false, reason: `commit is malformed: ${problem}`, bad: true };
  const commit = parsed as Commit;
  if (commit.formatVersion !== CACHE_FORMAT_VERSION)
    return { ok: false, reason: `cache format ${commit.formatVersion} is not ${CACHE_FORMAT_VERSION}`, bad: true };
  if (commit.segmentFormatVersion !== SEGMENT_FORMAT_VERSION)
    return {
      ok: false,
      reason: `segment format ${commit.segmentFormatVersion} is not ${SEGMENT_FORMAT_VERSION}`,
      bad: true,
    };
  if (commit.analyzerVersion !== ANALYZER_VERSION)
    return { ok: false, reason: `analyzer changed (${commit.analyzerVersion} → ${ANALYZER_VERSION})`, bad: true };
  if (commit.parserVersion !== PARSER_VERSION)
    return { ok: false, reason: `corpus parser changed (${commit.parserVersion} → ${PARSER_VERSION})`, bad: true };
  return { ok: true, commit };
}

/**
 * A file the commit names and that is not there makes the index corrupt; any
 * other failure to read it (a permission, a disk error) is left as it is.
 */
function missingAsCorrupt(error: unknown): unknown {
  if ((error as NodeJS.ErrnoException | null)?.code !== 'ENOENT') return error;
  return new CorruptIndexError(`a file the commit names is missing (${(error as Error).message})`, { cause: error });
}

/** True when the folder holds a snapshot of the single-file format that came before segments. */
function hasOldSnapshot(cacheDir: string): boolean {
  try {
    return readdirSync(cacheDir).some((name) => name === 'manifest.json' || /^snapshot-/.test(name));
  } catch {
    return false;
  }
}

/**
 * The index cache folder (the index's directory): names new segment files,
 * opens what a commit names, and removes what no commit names. The files in it
 * are written by `IndexWriter` alone.
 */
export class IndexCache {
  private nextSegment: number;

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    let highest = 0;
    for (const name of readdirSync(dir)) {
      const m = /^seg-(\d+)\./.exec(name);
      if (m) highest = Math.max(highest, Number(m[1]));
    }
    this.nextSegment = highest + 1;
  }

  /** A new segment file name (never used before in this folder). */
  newSegmentName(): string {
    return `seg-${String(this.nextSegment++).padStart(6, '0')}.nrs`;
  }

  /** Opens a segment file of this folder. */
  open(name: string): Segment {
    return Segment.open(path.join(this.dir, name), name);
  }

  /**
   * Opens the segments a commit names, with their deletions. Throws with a
   * reason when one is missing or bad. Segments check what a query needs before
   * its first answer at open (header, dictionaries, field lengths, article
   * tables: each section's checksum); postings and stored text are checked
   * byte by byte here only with `verify`, else after the start in the
   * background (`verifyInBackground`), so a start takes the same time at any size.
   */
  openCommitted(commit: Commit, options: { verify?: boolean } = {}): Segment[] {
    const segments: Segment[] = [];
    const full = options.verify === true;
    try {
      for (const entry of commit.segments) {
        const segment = this.open(entry.file);
        segments.push(segment);
        if (segment.byteSize !== entry.bytes)
          throw new CorruptIndexError(
            `segment ${entry.file} is ${segment.byteSize} bytes, expected ${entry.bytes} (truncated?)`,
          );
        if (full) segment.verify();
        if (segment.articleCount !== entry.articles || segment.paragraphCount !== entry.paragraphs)
          throw new CorruptIndexError(`segment ${entry.file} disagrees with the commit`);
        if (segment.meta.analyzerVersion !== ANALYZER_VERSION || segment.meta.parserVersion !== PARSER_VERSION)
          throw new CorruptIndexError(`segment ${entry.file} is stale`);
        if (entry.deletes)
          segment.setDeleted(decodeDeletes(readFileSync(path.join(this.dir, entry.deletes)), entry.articles));
      }
    } catch (error) {
      for (const segment of segments) segment.close();
      throw missingAsCorrupt(error);
    }
    return segments;
  }

  /** True when the folder's file `name` holds exactly `bytes` (an unchanged deletions file is kept, not written again). */
  holds(name: string, bytes: Buffer): boolean {
    try {
      return readFileSync(path.join(this.dir, name)).equals(bytes);
    } catch {
      return false;
    }
  }

  /** Reads the lexicon a commit names. */
  readLexicon(commit: Commit): FormsLexicon {
    let bytes: Buffer;
    try {
      bytes = readFileSync(path.join(this.dir, commit.lexicon));
    } catch (error) {
      throw missingAsCorrupt(error);
    }
    return FormsLexicon.decode(bytes);
  }

  /** Removes segment, deletions, lexicon and temporary files the commit does not name (`keep`: names still being written). */
  removeUnreferenced(commit: Commit | null, keep: ReadonlySet<string> = new Set()): void {
    const named = new Set<string>([COMMIT_FILE]);
    if (commit) {
      named.add(commit.lexicon);
      for (const e of commit.segments) {
        named.add(e.file);
        named.add(signatureFileOf(e.file));
        if (e.deletes) named.add(e.deletes);
      }
    }
    for (const name of readdirSync(this.dir)) {
      if (named.has(name) || keep.has(name)) continue;
      if (
        SEGMENT_NAME.test(name) ||
        DELETES_NAME.test(name) ||
        SIGNATURES_NAME.test(name) ||
        LEXICON_NAME.test(name) ||
        /\.tmp-\d+$/.test(name) ||
        name.endsWith(MERGE_TEMP_SUFFIX)
      )
        rmSync(path.join(this.dir, name), { force: true });
    }
  }
}

/**
 * Moves an unusable cache aside (into `<cacheDir>/set-aside/`, replacing what an
 * earlier set-aside left) so it can be inspected, and the next write starts clean.
 */
export function setAsideCache(cacheDir: string): void {
  const aside = path.join(cacheDir, 'set-aside');
  rmSync(aside, { recursive: true, force: true });
  mkdirSync(aside, { recursive: true });
  for (const name of readdirSync(cacheDir)) {
    if (name === 'set-aside' || name.startsWith('.')) continue;
    renameSync(path.join(cacheDir, name), path.join(aside, name));
  }
}
