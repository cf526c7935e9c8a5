import type { InvertedBatch } from './invert-documents.js';

/**
 * One inverted batch from two: `first` holds documents 0 … n-1 and `second` the
 * documents after them, numbered from 0 in their own batch. The result is what
 * inverting all the documents at once gives (`invertTexts` of the texts of both,
 * in order): the terms of both, sorted (UTF-16 code units) and distinct; each
 * term's postings (and their positions) those of `first`, then those of `second`
 * with their document numbers moved past `first`'s; the field lengths one after the other.
 */
export function joinInverted(first: InvertedBatch, second: InvertedBatch): InvertedBatch {
  const shift = first.lengths.length;
  const lengths = new Int32Array(shift + second.lengths.length);
  lengths.set(first.lengths);
  lengths.set(second.lengths, shift);
  const terms: string[] = [];
  const offsets = new Uint32Array(first.terms.length + second.terms.length + 1);
  const docs = new Int32Array(first.docs.length + second.docs.length);
  const tfs = new Uint16Array(docs.length);
  const posOffsets = new Uint32Array(docs.length + 1);
  const positions = new Int32Array(first.positions.length + second.positions.length);
  let a = 0;
  let b = 0;
  let at = 0;
  /** Appends postings `[from, to)` of `batch`, their documents moved by `by`. */
  const copy = (batch: InvertedBatch, from: number, to: number, by: number) => {
    for (let i = from; i < to; i++) docs[at + i - from] = batch.docs[i]! + by;
    tfs.set(batch.tfs.subarray(from, to), at);
    const start = posOffsets[at]!;
    const shiftPositions = start - batch.posOffsets[from]!;
    for (let i = from; i < to; i++) posOffsets[at + i - from + 1] = batch.posOffsets[i + 1]! + shiftPositions;
    positions.set(batch.positions.subarray(batch.posOffsets[from]!, batch.posOffsets[to]!), start);
    at += to - from;
  };
  while (a < first.terms.length || b < second.terms.length) {
    const termA = first.terms[a];
    const termB = second.terms[b];
    const fromA = termA !== undefined && (termB === undefined || termA <= termB);
    const fromB = termB !== undefined && (termA === undefined || termB <= termA);
    terms.push((fromA ? termA : termB)!);
    if (fromA) copy(first, first.offsets[a]!, first.offsets[++a]!, 0);
    if (fromB) copy(second, second.offsets[b]!, second.offsets[++b]!, shift);
    offsets[terms.length] = at;
  }
  return { lengths, terms, offsets: offsets.slice(0, terms.length + 1), docs, tfs, posOffsets, positions };
}
