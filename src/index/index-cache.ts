import { readdirSync, readFileSync, renameSync, rmSync, mkdirSync } from 'node:fs';
import { writeFileAtomic } from './segments/atomic-file.js';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import type { Article, CorpusFile, Problem } from '../corpus/article.js';
import { ANALYZER_VERSION } from '../analysis/analyzer-version.js';
import { PARSER_VERSION } from '../corpus/parser-version.js';
import type { SegmentSink } from './segment-sink.js';
import { writeSegmentFile } from './segments/build-segment.js';
import { signatureFileOf } from './signature-file.js';
import { Segment } from './segments/segment-reader.js';
import { SEGMENT_FORMAT_VERSION } from './segments/segment-writer.js';
import { FormsLexicon } from './segments/forms-lexicon.js';
import { MERGE_TEMP_SUFFIX } from './segments/merge-worker.js';
import { validateCommit } from './validate-commit.js';

/**
 * The index cache folder: segment files (`seg-000001.nrs`), their deletions
 * (`seg-000001.3.del`), the lexicon of word forms (`lexicon-3.bin`) and the
 * commit (`commit.json`) that names the live ones. Every file is written to a
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

/** Indexes up to this size (bytes) are checked whole at open: about 0.25 s at 2 GB/s. */
export const FULL_CHECK_BYTES = 512 * 2 ** 20;

const SEGMENT_NAME = /^seg-\d{6,}\.nrs$/;
const DELETES_NAME = /^seg-\d{6,}\.\d+\.del$/;
/** A segment's content signatures (see `signature-file.ts`): removed with their segment. */
const SIGNATURES_NAME = /^seg-\d{6,}\.sig$/;
const LEXICON_NAME = /^lexicon-\d+\.bin$/;
const DELETES_MAGIC = 'NRDEL001';

/** The commit of a cache folder, or why there is none usable (`bad`: files exist but are unusable, to set aside). */
export function readCommit(cacheDir: string): { ok: true; commit: Commit } | { ok: false; reason: string; bad: boolean } {
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
  if (commit.formatVersion !== CACHE_FORMAT_VERSION) return { ok: false, reason: `cache format ${commit.formatVersion} is not ${CACHE_FORMAT_VERSION}`, bad: true };
  if (commit.segmentFormatVersion !== SEGMENT_FORMAT_VERSION) return { ok: false, reason: `segment format ${commit.segmentFormatVersion} is not ${SEGMENT_FORMAT_VERSION}`, bad: true };
  if (commit.analyzerVersion !== ANALYZER_VERSION) return { ok: false, reason: `analyzer changed (${commit.analyzerVersion} → ${ANALYZER_VERSION})`, bad: true };
  if (commit.parserVersion !== PARSER_VERSION) return { ok: false, reason: `corpus parser changed (${commit.parserVersion} → ${PARSER_VERSION})`, bad: true };
  return { ok: true, commit };
}

/** True when the folder holds a snapshot of the single-file format that came before segments. */
function hasOldSnapshot(cacheDir: string): boolean {
  try {
    return readdirSync(cacheDir).some((name) => name === 'manifest.json' || /^snapshot-/.test(name));
  } catch {
    return false;
  }
}

/** The deletions of a segment as file bytes: magic, CRC-32, one byte per article. */
function encodeDeletes(deleted: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + deleted.length);
  out.write(DELETES_MAGIC, 0, 'latin1');
  out.writeUInt32LE(crc32(deleted), 8);
  out.set(deleted, 12);
  return out;
}

function decodeDeletes(bytes: Buffer, articles: number): Uint8Array {
  if (bytes.length !== 12 + articles || bytes.toString('latin1', 0, 8) !== DELETES_MAGIC) throw new Error('deletions file is malformed');
  const deleted = new Uint8Array(bytes.subarray(12));
  if (crc32(deleted) !== bytes.readUInt32LE(8)) throw new Error('deletions file fails its checksum');
  return deleted;
}

/**
 * The index cache folder as a store of segments: writes new segments (it is the
 * index's segment sink), deletions and lexicon files, commits, and opens what a
 * commit names.
 */
export class IndexCache implements SegmentSink {
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

  /** Writes a segment of `articles` to a new file and opens it. */
  write(articles: readonly Article[]): Segment {
    const name = this.newSegmentName();
    const file = path.join(this.dir, name);
    writeSegmentFile(articles, file);
    return Segment.open(file, name);
  }

  /** Opens a segment file of this folder. */
  open(name: string): Segment {
    return Segment.open(path.join(this.dir, name), name);
  }

  /**
   * Opens the segments a commit names, with their deletions. Throws with a
   * reason when one is missing or bad. Segments check their tables at open;
   * when the index is at most {@link FULL_CHECK_BYTES}, every byte is checked too
   * (postings and stored text), and always with `verify`.
   */
  openCommitted(commit: Commit, options: { verify?: boolean } = {}): Segment[] {
    const segments: Segment[] = [];
    const full = options.verify === true || commit.segments.reduce((n, e) => n + e.bytes, 0) <= FULL_CHECK_BYTES;
    try {
      for (const entry of commit.segments) {
        const segment = this.open(entry.file);
        segments.push(segment);
        if (segment.byteSize !== entry.bytes) throw new Error(`segment ${entry.file} is ${segment.byteSize} bytes, expected ${entry.bytes} (truncated?)`);
        if (full) segment.verify();
        if (segment.articleCount !== entry.articles || segment.paragraphCount !== entry.paragraphs) throw new Error(`segment ${entry.file} disagrees with the commit`);
        if (segment.meta.analyzerVersion !== ANALYZER_VERSION || segment.meta.parserVersion !== PARSER_VERSION) throw new Error(`segment ${entry.file} is stale`);
        if (entry.deletes) segment.setDeleted(decodeDeletes(readFileSync(path.join(this.dir, entry.deletes)), entry.articles));
      }
    } catch (error) {
      for (const segment of segments) segment.close();
      throw error;
    }
    return segments;
  }

  /** Reads the lexicon a commit names. */
  readLexicon(commit: Commit): FormsLexicon {
    return FormsLexicon.decode(readFileSync(path.join(this.dir, commit.lexicon)));
  }

  /**
   * Commits: writes the segments' deletions and the lexicon (new files), then
   * `commit.json` atomically, then removes files no longer named. Returns the commit.
   */
  commit(
    previous: Commit | null,
    segments: readonly Segment[],
    lexicon: FormsLexicon,
    corpus: { files: CorpusFile[]; problems: Problem[] },
    live: { overrides?: { epoch: string; seq: number }; heldFiles?: string[] } = {},
  ): Commit {
    const generation = (previous?.generation ?? 0) + 1;
    const entries: CommitSegment[] = segments.map((segment) => {
      let deletes: string | null = null;
      if (segment.deletedCount > 0) {
        const old = previous?.segments.find((e) => e.file === segment.name);
        deletes = `${segment.name.replace(/\.nrs$/, '')}.${generation}.del`;
        const bytes = encodeDeletes(segment.deleted);
        // Unchanged deletions keep their file.
        if (old?.deletes && sameFile(path.join(this.dir, old.deletes), bytes)) deletes = old.deletes;
        else writeFileAtomic(path.join(this.dir, deletes), bytes);
      }
      return { file: segment.name, articles: segment.articleCount, paragraphs: segment.paragraphCount, bytes: segment.byteSize, deletes };
    });
    const lexiconFile = `lexicon-${generation}.bin`;
    writeFileAtomic(path.join(this.dir, lexiconFile), lexicon.encode());
    const commit: Commit = {
      formatVersion: CACHE_FORMAT_VERSION,
      segmentFormatVersion: SEGMENT_FORMAT_VERSION,
      analyzerVersion: ANALYZER_VERSION,
      parserVersion: PARSER_VERSION,
      generation,
      segments: entries,
      lexicon: lexiconFile,
      corpus: corpus.files,
      problems: corpus.problems,
      articles: segments.reduce((n, s) => n + s.liveCount, 0),
      paragraphs: segments.reduce((n, s) => n + s.liveParagraphCount, 0),
      createdAt: new Date().toISOString(),
      ...(live.overrides ? { overrides: live.overrides } : {}),
      ...(live.heldFiles?.length ? { heldFiles: [...live.heldFiles].sort() } : {}),
    };
    writeFileAtomic(path.join(this.dir, COMMIT_FILE), Buffer.from(JSON.stringify(commit), 'utf8'));
    this.removeUnreferenced(commit);
    return commit;
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
      if (SEGMENT_NAME.test(name) || DELETES_NAME.test(name) || SIGNATURES_NAME.test(name) || LEXICON_NAME.test(name) || /\.tmp-\d+$/.test(name) || name.endsWith(MERGE_TEMP_SUFFIX)) rmSync(path.join(this.dir, name), { force: true });
    }
  }
}

function sameFile(file: string, bytes: Buffer): boolean {
  try {
    return readFileSync(file).equals(bytes);
  } catch {
    return false;
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
