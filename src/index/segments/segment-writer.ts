import { ByteSink, encodePostings } from './postings-codec.js';
import { encodePositions, encodeStemForms } from './positions-codec.js';
import { isStemTerm, stemTerm } from '../../analysis/index-terms.js';
import { offsetsTable, type SectionWriter } from './segment-file.js';

export {
  ArticleTableWriter,
  ENTITY_COLUMNS,
  type CopiedRow,
  type StoredMeta,
  type StoredRecord,
  storedRecordOf,
} from './article-table-writer.js';

/**
 * Version of the segment layout below: a segment of another version is rebuilt (2: entity columns; 3: postings
 * in blocks with skip tables; 4: token positions; 5: a stem term's positions derived from its forms'; 6: positions
 * Rice-coded; 7: four-byte tables of postings and stored-text offsets; 8: stored records without what the columns hold;
 * 9: a stem term of one form has no postings of its own, they are its form's; 10: a positions block's Rice codes in
 * two streams, low bits and quotients, read past by counting).
 */
export const SEGMENT_FORMAT_VERSION = 10;

/** The two collections of a segment: paragraphs (`p`) and headlines (`t`, one per article, numbered as the articles). */
export type CollectionKey = 'p' | 't';

/** What a segment's header records beside its sections. */
export interface SegmentMeta {
  articles: number;
  paragraphs: number;
  /** Sum of the paragraphs' field lengths (distinct tokens), for the global average BM25 uses. */
  paraLengthSum: number;
  titleLengthSum: number;
  analyzerVersion: string;
  parserVersion: string;
}

/**
 * A term's postings to write: `docs[from … to)` ascending (segment-local numbers), `tfs` parallel;
 * posting i's token positions are `positions[posStarts[i] … posStarts[i + 1])`, ascending (a word
 * form's; a stem term's are not read: they are its forms').
 */
export interface TermPostingsInput {
  term: string;
  docs: ArrayLike<number>;
  tfs: ArrayLike<number>;
  from: number;
  to: number;
  posStarts: ArrayLike<number>;
  positions: ArrayLike<number>;
}

/**
 * Writes one collection's postings (streamed, one term at a time, in term
 * order) and then its term dictionary: the terms' UTF-8 bytes with offsets,
 * each term's document frequency and the byte offset of its postings.
 * Sections: `<c>.postings` (each term's blocks and skip table, `postings-codec.ts`),
 * `<c>.terms.utf8`, `<c>.terms.off` (Uint32, count + 1), `<c>.df` (Uint32),
 * `<c>.post.off` (count + 1; Uint32 while the section is below 4 GiB, else Float64), then the token positions of each posting,
 * `<c>.positions` (`positions-codec.ts`) with `<c>.pos.off` (count + 1; Uint32 while the section is
 * below 4 GiB, else Float64): a word form's positions, a stem term's list of its forms (the
 * dictionary's forms whose {@link stemTerm} it is), kept in memory until the postings are written,
 * about a byte a token.
 * A stem term whose postings are those of the one form written before it with that stem (the same
 * documents and frequencies: about half the stem terms, every word whose stem no other word shares)
 * gets no postings bytes (an empty range of `<c>.postings`, its document frequency kept): a reader
 * reads its form's, the one form its positions entry lists (`Segment.readTermBlocks`).
 * `lengths`: the collection's field lengths by document, for the skip table's per-block bound.
 */
export function writeTerms(
  writer: SectionWriter,
  c: CollectionKey,
  terms: Iterable<TermPostingsInput>,
  lengths: ArrayLike<number>,
): void {
  const termBytes = new ByteSink();
  const termOffsets: number[] = [0];
  const df: number[] = [];
  const postOffsets: number[] = [0];
  const sink = new ByteSink();
  // The forms' positions, one after the other; a stem term's entry is made once every form is known.
  const positionBytes = new ByteSink();
  const positionEnds: number[] = [];
  const stems = new Map<string, number>();
  const formStems: string[] = [];
  const formIndexes: number[] = [];
  // Per stem term, the forms with that stem written so far: how many, and the last one's postings in sum.
  const stemSeen = new Map<string, FormsSeen>();
  let written = 0;
  let previous: string | null = null;
  writer.begin(`${c}.postings`);
  for (const { term, docs, tfs, from, to, posStarts, positions } of terms) {
    if (previous !== null && !(previous < term)) throw new Error('terms must be written in ascending order');
    previous = term;
    const stem = isStemTerm(term);
    if (!stem || !samePostings(stemSeen.get(term), tfs, from, to)) {
      sink.clear();
      encodePostings(sink, docs, tfs, from, to, lengths);
      writer.append(sink.view());
      written += sink.length;
    }
    if (stem) {
      stems.set(term, df.length);
      positionEnds.push(-1);
    } else {
      encodePositions(positionBytes, positions, posStarts, from, to);
      const stemOf = stemTerm(term);
      formStems.push(stemOf);
      formIndexes.push(df.length);
      positionEnds.push(positionBytes.length);
      const seen = stemSeen.get(stemOf);
      if (seen) seen.forms++;
      else stemSeen.set(stemOf, { forms: 1, df: to - from, tfSum: sumOf(tfs, from, to) });
    }
    termBytes.utf8(term);
    termOffsets.push(termBytes.length);
    df.push(to - from);
    postOffsets.push(written);
  }
  writer.end();
  writer.add(`${c}.terms.utf8`, termBytes.view());
  writer.add(`${c}.terms.off`, Uint32Array.from(termOffsets));
  writer.add(`${c}.df`, Uint32Array.from(df));
  writer.add(`${c}.post.off`, offsetsTable(postOffsets));
  const positionOffsets = writeTermPositions(
    writer,
    c,
    positionBytes,
    positionEnds,
    stemForms(stems, formStems, formIndexes),
  );
  writer.add(`${c}.pos.off`, offsetsTable(positionOffsets));
}

/** The forms of a stem term written before it: how many, and the first one's document count and frequencies' sum. */
interface FormsSeen {
  forms: number;
  df: number;
  tfSum: number;
}

function sumOf(values: ArrayLike<number>, from: number, to: number): number {
  let sum = 0;
  for (let k = from; k < to; k++) sum += values[k]!;
  return sum;
}

/**
 * True when a stem term's postings (`tfs[from … to)`) are those of its one form written before it. A
 * stem's postings hold each of its forms' documents with at least that form's frequency, so with one form
 * seen, the same number of documents and the same sum of frequencies mean the same postings.
 */
function samePostings(seen: FormsSeen | undefined, tfs: ArrayLike<number>, from: number, to: number): boolean {
  return seen !== undefined && seen.forms === 1 && seen.df === to - from && seen.tfSum === sumOf(tfs, from, to);
}

/**
 * The forms of each stem term, by the stem's dictionary index: `forms[starts.get(stem)…]` as a list per
 * stem (ascending dictionary indexes). `formStems[k]` is the stem term of the form at `formIndexes[k]`; a
 * form whose stem term is not in the dictionary (none, as segments are built) is in no list.
 */
function stemForms(
  stems: ReadonlyMap<string, number>,
  formStems: readonly string[],
  formIndexes: readonly number[],
): Map<number, number[]> {
  const lists = new Map<number, number[]>();
  for (let k = 0; k < formStems.length; k++) {
    const stem = stems.get(formStems[k]!);
    if (stem === undefined) continue;
    let list = lists.get(stem);
    if (!list) lists.set(stem, (list = []));
    list.push(formIndexes[k]!);
  }
  return lists;
}

/**
 * Writes `<c>.positions` in dictionary order: a word form's entry is its positions, `positions.bytes`
 * from the previous form's end to its own (`ends[i]`), a stem term's (`ends[i]` -1) the list of its
 * forms (`forms` of its index). Returns the entries' offsets (count + 1).
 */
function writeTermPositions(
  writer: SectionWriter,
  c: CollectionKey,
  positions: ByteSink,
  ends: readonly number[],
  forms: ReadonlyMap<number, number[]>,
): number[] {
  const offsets: number[] = [0];
  const list = new ByteSink();
  let at = 0;
  // Forms' positions not yet appended: consecutive forms go in one piece.
  let pending = 0;
  let done = 0;
  writer.begin(`${c}.positions`);
  for (let i = 0; i < ends.length; i++) {
    const end = ends[i]!;
    if (end >= 0) {
      at += end - pending - done;
      pending = end - done;
    } else {
      writer.append(positions.bytes.subarray(done, done + pending));
      done += pending;
      pending = 0;
      const stemForms = forms.get(i);
      if (stemForms) {
        list.clear();
        encodeStemForms(list, stemForms, 0, stemForms.length);
        writer.append(list.view());
        at += list.length;
      }
    }
    offsets.push(at);
  }
  writer.append(positions.bytes.subarray(done, done + pending));
  writer.end();
  return offsets;
}

/** The terms of a bulk state (sorted terms, postings by offsets) as writer input. */
export function* stateTerms(state: {
  terms: readonly string[];
  offsets: Uint32Array;
  docs: Int32Array;
  tfs: Uint16Array;
  posOffsets: Uint32Array;
  positions: Int32Array;
}): Generator<TermPostingsInput> {
  for (let i = 0; i < state.terms.length; i++) {
    yield {
      term: state.terms[i]!,
      docs: state.docs,
      tfs: state.tfs,
      from: state.offsets[i]!,
      to: state.offsets[i + 1]!,
      posStarts: state.posOffsets,
      positions: state.positions,
    };
  }
}

/** Writes field lengths (distinct tokens per document, capped at 65,535) as `<c>.length` (Uint16). */
export function writeLengths(writer: SectionWriter, c: CollectionKey, lengths: ArrayLike<number>): number {
  const out = new Uint16Array(lengths.length);
  let sum = 0;
  for (let i = 0; i < lengths.length; i++) {
    out[i] = Math.min(lengths[i]!, 0xffff);
    sum += out[i]!;
  }
  writer.add(`${c}.length`, out);
  return sum;
}
