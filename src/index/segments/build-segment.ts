import { fstatSync } from 'node:fs';
import type { Article } from '../../corpus/article.js';
import { writeFileAtomic } from './atomic-file.js';
import { writeArticleSignatures } from './signature-file.js';
import { runInWorker } from './worker-thread.js';
import {
  failEntities,
  openEntityChannel,
  receiveEntities,
  sendEntities,
  type EntityChannelEnd,
} from './entity-channel.js';
import { extractEntities, type ArticleEntities } from '../../analysis/extract-entities.js';
import { tokenize } from '../../analysis/tokenize.js';
import { stemTerm } from '../../analysis/index-terms.js';
import { ANALYZER_VERSION } from '../../analysis/analyzer-version.js';
import { PARSER_VERSION } from '../../corpus/parser-version.js';
import { invertTexts } from './invert-documents.js';
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

/**
 * Writes a segment holding `articles` (ids unique): headlines and paragraphs
 * inverted in bulk, each token indexed as its form and its stem term, postings,
 * field lengths, stored text and article tables. To the open file `fd`, or to
 * memory when `fd` is null (then the segment's bytes are returned). The articles'
 * entities are extracted here, unless `entitiesOf` gives them (in the articles'
 * order), asked for only once the text is inverted.
 */
export function buildSegment(
  articles: readonly Article[],
  fd: number | null,
  entitiesOf?: () => readonly ArticleEntities[],
): Buffer | null {
  const writer = new SectionWriter(fd);
  let paraLengthSum = 0;
  {
    const texts: string[] = [];
    for (const article of articles) for (const text of article.paragraphs) texts.push(text);
    const paragraphs = invertTexts(texts, processForm);
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
  const entities = entitiesOf?.();
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
export function writeSegmentFile(articles: readonly Article[], file: string, helper?: EntityChannelEnd): number {
  let size = 0;
  writeFileAtomic(file, (fd) => {
    buildSegment(articles, fd, helper && (() => receiveEntities(helper)));
    size = fstatSync(fd).size;
  });
  // A helper thread writes the signatures beside the entities it sends.
  if (!helper) writeArticleSignatures(articles, file);
  return size;
}

/**
 * The helper's half of a flush split in two ({@link flushInWorker} with `split`): extracts the articles'
 * entities and sends them to the flush, then writes their content signatures beside the segment file.
 */
export function extractForFlush(articles: readonly Article[], file: string, flush: EntityChannelEnd): void {
  let entities: ArticleEntities[];
  try {
    entities = articles.map(extractEntities);
  } catch (error) {
    failEntities(flush.flag);
    throw error;
  }
  sendEntities(flush, entities);
  writeArticleSignatures(articles, file);
}

/**
 * {@link writeSegmentFile} in a worker thread, so the caller's thread goes on reading the corpus.
 * With `split`, a second worker thread extracts the articles' entities and writes their signatures
 * while the first inverts the text: the same file, sooner when a core is free (a build's only
 * flush), at the cost of copying the articles to both threads.
 */
export function flushInWorker(articles: readonly Article[], file: string, split = false): Promise<number> {
  if (!split) return runInWorker<number>({ task: 'flush', articles: [...articles], outFile: file });
  const { sender, receiver, flag } = openEntityChannel();
  const helper = runInWorker<number>({ task: 'extract', articles: [...articles], outFile: file, flush: sender }, [
    sender.port,
  ]);
  // If the helper fails or dies, the flush stops waiting for its entities and fails too.
  helper.catch(() => failEntities(flag));
  const flush = runInWorker<number>({ task: 'flush', articles: [...articles], outFile: file, helper: receiver }, [
    receiver.port,
  ]);
  return Promise.all([flush, helper]).then(([bytes]) => bytes);
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
