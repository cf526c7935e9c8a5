import { BM25 } from './archive-index.js';
import type { Segment } from './segments/segment-reader.js';

/** The per-document tables a query reads, over all segments (see `ArchiveIndex`). */
export interface DocumentTables {
  /** Per segment (and one past the last): its first global paragraph and article number. */
  paraBase: Int32Array<ArrayBuffer>;
  articleBase: Int32Array<ArrayBuffer>;
  /** Paragraph → article number (-1: deleted). */
  paraArticle: Int32Array<ArrayBuffer>;
  /** Paragraph → its position in its article. */
  paraIndex: Int32Array<ArrayBuffer>;
  /** Paragraph → BM25 length norm, -1 when deleted. */
  paraNorm: Float64Array<ArrayBuffer>;
  /** Headline (= article number) → article number, -1 when deleted. */
  titleArticle: Int32Array<ArrayBuffer>;
  titleNorm: Float64Array<ArrayBuffer>;
  /** Paragraphs of article `ord` are `articleFirstPara[ord] … articleFirstPara[ord + 1]`. */
  articleFirstPara: Int32Array<ArrayBuffer>;
  /** Article → publication time in ms since the epoch (NaN when unknown). */
  articleTime: Float64Array<ArrayBuffer>;
  liveArticles: number;
  liveParagraphs: number;
}

/**
 * Numbers the documents of `segments` one segment after another and builds the
 * tables over them, with the BM25 length norms from the live documents' average
 * lengths over every segment (so a score does not depend on how the archive is
 * cut). Two passes over the paragraphs: O(documents), no per-document object.
 */
export function documentTables(segments: readonly Segment[]): DocumentTables {
  let paragraphs = 0;
  let articles = 0;
  const paraBase = new Int32Array(segments.length + 1);
  const articleBase = new Int32Array(segments.length + 1);
  segments.forEach((segment, s) => {
    paraBase[s] = paragraphs;
    articleBase[s] = articles;
    paragraphs += segment.paragraphCount;
    articles += segment.articleCount;
  });
  paraBase[segments.length] = paragraphs;
  articleBase[segments.length] = articles;
  const paraArticle = new Int32Array(paragraphs);
  const paraIndex = new Int32Array(paragraphs);
  const titleArticle = new Int32Array(articles);
  const firstPara = new Int32Array(articles + 1);
  const time = new Float64Array(articles);
  let paraLengths = 0;
  let titleLengths = 0;
  let liveParas = 0;
  let liveArticles = 0;
  segments.forEach((segment, s) => {
    const pb = paraBase[s]!;
    const ab = articleBase[s]!;
    for (let i = 0; i < segment.articleCount; i++) {
      const ord = ab + i;
      const from = segment.firstPara[i]!;
      const to = segment.firstPara[i + 1]!;
      const live = segment.deleted[i] === 0;
      firstPara[ord] = pb + from;
      time[ord] = segment.time[i]!;
      titleArticle[ord] = live ? ord : -1;
      if (live) {
        liveArticles++;
        titleLengths += segment.titleLength[i]!;
        liveParas += to - from;
        for (let k = from; k < to; k++) paraLengths += segment.paraLength[k]!;
      }
      for (let k = from; k < to; k++) {
        paraArticle[pb + k] = live ? ord : -1;
        paraIndex[pb + k] = k - from;
      }
    }
  });
  firstPara[articles] = paragraphs;
  // Norms after the sums: the average length is over live documents of every segment.
  const paraNorm = new Float64Array(paragraphs).fill(-1);
  const titleNorm = new Float64Array(articles).fill(-1);
  const base = BM25.k * (1 - BM25.b);
  const paraSlope = (BM25.k * BM25.b) / (liveParas > 0 ? paraLengths / liveParas : 1);
  const titleSlope = (BM25.k * BM25.b) / (liveArticles > 0 ? titleLengths / liveArticles : 1);
  segments.forEach((segment, s) => {
    const pb = paraBase[s]!;
    const ab = articleBase[s]!;
    for (let i = 0; i < segment.articleCount; i++) {
      if (segment.deleted[i]) continue;
      titleNorm[ab + i] = base + titleSlope * segment.titleLength[i]!;
      for (let k = segment.firstPara[i]!; k < segment.firstPara[i + 1]!; k++) paraNorm[pb + k] = base + paraSlope * segment.paraLength[k]!;
    }
  });
  return { paraBase, articleBase, paraArticle, paraIndex, paraNorm, titleArticle, titleNorm, articleFirstPara: firstPara, articleTime: time, liveArticles, liveParagraphs: liveParas };
}
