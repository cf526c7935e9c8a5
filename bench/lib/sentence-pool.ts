/**
 * The material the scale-up corpus is assembled from (pure): every sentence of
 * the real corpus, every headline, and each article's shape (sentences per
 * paragraph), so generated articles have real sentences in real proportions.
 */

/** An article as the scale-up generator reads and writes it (the NDJSON record's fields). */
export interface ScaleArticle {
  id: string;
  title: string;
  /** ISO 8601 (`YYYY-MM-DDTHH:MM:SSZ` for generated articles); null when unknown. */
  date: string | null;
  source: string | null;
  section: string | null;
  tags: string[];
  /** Body paragraphs, in order. */
  paragraphs: string[];
}

/** Sentences, headlines and article shapes of a source corpus. */
export interface SentencePool {
  sentences: string[];
  titles: string[];
  /** Per source article (same order as the source): sentences in each of its paragraphs. */
  shapes: number[][];
}

// A sentence ends at . ! or ? (a closing quote may follow) before white space and
// a capital, a digit or an opening quote. Abbreviations (`Co. Ltd`) split too
// now and then: harmless, the pieces are still real text.
const SENTENCE_BREAK = /(?<=[.!?][”"’']?)\s+(?=[“"‘']?[\p{Lu}\p{N}])/u;

/** The sentences of one paragraph, trimmed, in order (the paragraph itself when it has no break). */
export function splitSentences(paragraph: string): string[] {
  return paragraph
    .split(SENTENCE_BREAK)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Builds the pool of `articles` (their paragraphs split into sentences). */
export function buildSentencePool(articles: readonly ScaleArticle[]): SentencePool {
  const sentences: string[] = [];
  const titles: string[] = [];
  const shapes: number[][] = [];
  for (const article of articles) {
    titles.push(article.title);
    shapes.push(
      article.paragraphs.map((p) => {
        const parts = splitSentences(p);
        sentences.push(...parts);
        return parts.length;
      }),
    );
  }
  return { sentences, titles, shapes };
}
