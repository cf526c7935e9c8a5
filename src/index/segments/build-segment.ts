import { fstatSync } from 'node:fs';
import type { Article } from '../../corpus/article.js';
import { writeFileAtomic } from './atomic-file.js';
import { writeArticleSignatures } from './signature-file.js';
import { runInWorker } from './worker-thread.js';
import {
  failHelper,
  openHelperChannel,
  postToFlush,
  receiveFromHelper,
  type HelperChannelEnd,
} from './helper-channel.js';
import { joinInverted } from './join-inverted.js';
import { extractEntities, type ArticleEntities } from '../../analysis/extract-entities.js';
import { tokenize } from '../../analysis/tokenize.js';
import { stemTerm } from '../../analysis/index-terms.js';
import { ANALYZER_VERSION } from '../../analysis/analyzer-version.js';
import { PARSER_VERSION } from '../../corpus/parser-version.js';
import { invertTexts, type InvertedBatch } from './invert-documents.js';
import { SectionWriter } from './segment-file.js';
import {
  ArticleTableWriter,
  SEGMENT_FORMAT_VERSION,
  stateTerms,
  writeLengths,
  writeTerms,
  type SegmentMeta,
} from './segment-writer.js';

/** Index terms of one token form: the form itself and its stem term. */
export function processForm(form: string): string[] {
  return [form, stemTerm(form)];
}

/** The token forms of a text, in order. */
export function tokenForms(text: string): string[] {
  return tokenize(text).map((t) => t.form);
}

/**
 * How many documents (each headline, each paragraph) hold each token form of
 * `articles` — their contribution to the lexicon's document frequencies — added
 * into `counts` times `sign`.
 */
export function countForms(
  articles: Iterable<Article>,
  sign: 1 | -1,
  counts: Map<string, number> = new Map(),
): Map<string, number> {
  for (const article of articles) {
    for (const text of [article.title, ...article.paragraphs]) {
      for (const form of new Set(tokenForms(text))) counts.set(form, (counts.get(form) ?? 0) + sign);
    }
  }
  return counts;
}

/** Share of a split flush's paragraphs (the last ones) its helper inverts: less than half, as it also extracts the entities. */
const HELPER_SHARE = 0.4;

/** Where a split flush's paragraphs are cut: the flush inverts those before, its helper those from there on. */
function helperCut(paragraphs: number): number {
  return paragraphs - Math.floor(paragraphs * HELPER_SHARE);
}

/** The paragraphs of `articles`, in order. */
function paragraphTexts(articles: readonly Article[]): string[] {
  const texts: string[] = [];
  for (const article of articles) for (const text of article.paragraphs) texts.push(text);
  return texts;
}

/**
 * Writes a segment holding `articles` (ids unique): headlines and paragraphs
 * inverted in bulk, each token indexed as its form and its stem term, postings,
 * field lengths, stored text and article tables. To the open file `fd`, or to
 * memory when `fd` is null (then the segment's bytes are returned). With a
 * `helper` (a thread running {@link helpFlush} on the same articles), the last
 * paragraphs' postings and the articles' entities come from it; the bytes are the same.
 */
export function buildSegment(
  articles: readonly Article[],
  fd: number | null,
  helper?: HelperChannelEnd,
): Buffer | null {
  const writer = new SectionWriter(fd);
  let paraLengthSum = 0;
  {
    const texts = paragraphTexts(articles);
    const paragraphs = helper
      ? joinInverted(
          invertTexts(texts.slice(0, helperCut(texts.length)), processForm),
          receiveFromHelper<InvertedBatch>(helper),
        )
      : invertTexts(texts, processForm);
    writeTerms(writer, 'p', stateTerms(paragraphs), paragraphs.lengths);
    paraLengthSum = writeLengths(writer, 'p', paragraphs.lengths);
  }
  const titles = invertTexts(
    articles.map((a) => a.title),
    processForm,
  );
  writeTerms(writer, 't', stateTerms(titles), titles.lengths);
  const titleLengthSum = writeLengths(writer, 't', titles.lengths);
  const table = new ArticleTableWriter(writer);
  const entities = helper ? receiveFromHelper<ArticleEntities[]>(helper) : undefined;
  let paragraphCount = 0;
  articles.forEach((article, i) => {
    if (entities) table.add(article, entities[i]!);
    else table.add(article);
    paragraphCount += article.paragraphs.length;
  });
  table.finish();
  const meta: SegmentMeta = {
    articles: articles.length,
    paragraphs: paragraphCount,
    paraLengthSum,
    titleLengthSum,
    analyzerVersion: ANALYZER_VERSION,
    parserVersion: PARSER_VERSION,
  };
  return writer.finish(SEGMENT_FORMAT_VERSION, meta);
}

/**
 * Writes a segment of `articles` to `file` atomically (temporary name, fsync, rename), and their content
 * signatures beside it (see `signature-file.ts`); returns the segment's size in bytes.
 */
export function writeSegmentFile(articles: readonly Article[], file: string, helper?: HelperChannelEnd): number {
  let size = 0;
  writeFileAtomic(file, (fd) => {
    buildSegment(articles, fd, helper);
    size = fstatSync(fd).size;
  });
  // A helper thread writes the signatures once it has sent its work.
  if (!helper) writeArticleSignatures(articles, file);
  return size;
}

/**
 * The helper's half of a flush split in two ({@link flushInWorker} with `split`): inverts the last
 * paragraphs and extracts the articles' entities, sends both to the flush, then writes the articles'
 * content signatures beside the segment file.
 */
export function helpFlush(articles: readonly Article[], file: string, flush: HelperChannelEnd): void {
  try {
    const texts = paragraphTexts(articles);
    const part = invertTexts(texts.slice(helperCut(texts.length)), processForm);
    // Its arrays each own a fresh ArrayBuffer (made by invertTexts): moved to the flush, not copied.
    const buffers = [part.lengths, part.offsets, part.docs, part.tfs, part.posOffsets, part.positions].map(
      (array) => array.buffer as ArrayBuffer,
    );
    postToFlush(flush, part, buffers);
    postToFlush(flush, articles.map(extractEntities));
  } catch (error) {
    failHelper(flush.posted);
    throw error;
  }
  flush.port.close();
  writeArticleSignatures(articles, file);
}

/**
 * {@link writeSegmentFile} in a worker thread, so the caller's thread goes on reading the corpus.
 * With `split`, a second worker thread inverts the last 40 % of the paragraphs, extracts the
 * entities and writes the signatures while the first inverts the rest: the same file, sooner when
 * a core is free (a build's only flush), at the cost of copying the articles to both threads.
 */
export function flushInWorker(articles: readonly Article[], file: string, split = false): Promise<number> {
  if (!split) return runInWorker<number>({ task: 'flush', articles: [...articles], outFile: file });
  const channel = openHelperChannel();
  const help = runInWorker<number>({ task: 'help', articles: [...articles], outFile: file, flush: channel.helper }, [
    channel.helper.port,
  ]);
  // If the helper fails or dies, the flush stops waiting for it and fails too.
  help.catch(() => failHelper(channel.posted));
  const flush = runInWorker<number>({ task: 'flush', articles: [...articles], outFile: file, helper: channel.flush }, [
    channel.flush.port,
  ]);
  return Promise.all([flush, help]).then(([bytes]) => bytes);
}

/** A segment file written by {@link flushWithForms}: its size, and its articles' form counts (see {@link countForms}). */
export interface FlushedSegment {
  bytes: number;
  forms: [string, number][];
}

/** {@link writeSegmentFile} in a worker thread that also counts the articles' forms, so this thread does neither. */
export function flushWithForms(articles: readonly Article[], file: string): Promise<FlushedSegment> {
  return runInWorker<FlushedSegment>({ task: 'flushForms', articles: [...articles], outFile: file });
}
