/**
 * Saved searches of mixed kinds for the alerts benchmark (pure): words, phrases,
 * NEAR, OR, a headline field, filters (source, dates) and a few prefixes, made
 * from the words of real articles around one specific word (a name, a place, a
 * company: rare in the archive, as what a reporter follows is), so that they
 * match now and then, not every other article.
 */
import type { AlertQuery } from '../../src/alerts/alert.js';
import type { Article } from '../../src/corpus/article.js';
import { tokenForms } from '../../src/index/segments/build-segment.js';
import { pick } from './seeded-random.js';

/** The kinds of saved search, in the proportions they are made. */
export const ALERT_KINDS = [
  'words',
  'words',
  'words',
  'phrase',
  'phrase',
  'near',
  'or',
  'title',
  'source',
  'dated',
  'prefix',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

const usable = (form: string) => form.length >= 4 && /^[a-z]+$/.test(form);

/** Usable words of a text in order (alphabetic, 4 letters or more). */
function wordsOf(text: string): string[] {
  return tokenForms(text).filter(usable);
}

const blank = (q: string): AlertQuery => ({ q, from: null, to: null, source: [], section: [], author: [], tag: [] });

/** A word is specific when at most this many paragraphs of the archive hold its stem. */
export const SPECIFIC_PARAGRAPHS = 10;

/**
 * One saved search of `kind` from the words of a random article, around one of
 * its specific words (`paragraphsWith` counts the paragraphs holding a word's
 * stem); null when the paragraph picked has none.
 */
export function makeAlertQuery(
  random: () => number,
  articles: readonly Article[],
  kind: AlertKind,
  paragraphsWith: (form: string) => number,
): AlertQuery | null {
  const article = pick(random, articles);
  const paragraph = article.paragraphs.length ? pick(random, article.paragraphs) : article.title;
  const words = wordsOf(paragraph);
  if (words.length < 3) return null;
  const specific = words
    .map((w, i) => (i < words.length - 2 && paragraphsWith(w) <= SPECIFIC_PARAGRAPHS ? i : -1))
    .filter((i) => i >= 0);
  if (specific.length === 0) return null;
  const at = pick(random, specific);
  const [a, b, c] = [words[at]!, words[at + 1]!, words[at + 2]!];
  switch (kind) {
    case 'words':
      return blank(`${a} ${c}`);
    case 'phrase':
      return blank(`"${a} ${b}"`);
    case 'near':
      return blank(`${a} NEAR/5 ${c}`);
    case 'or': {
      // Another specific word, of another article: two names followed as one story.
      const other = article.paragraphs.length
        ? wordsOf(pick(random, pick(random, articles).paragraphs) ?? '').filter(
            (w) => paragraphsWith(w) <= SPECIFIC_PARAGRAPHS,
          )
        : [];
      return other.length ? blank(`${a} OR ${pick(random, other)}`) : null;
    }
    case 'title': {
      const title = wordsOf(article.title);
      return title.length ? blank(`title:${pick(random, title)} ${a}`) : blank(`${a} ${b}`);
    }
    case 'source':
      return article.source ? { ...blank(`${a} ${b}`), source: [article.source] } : blank(`${a} ${b}`);
    case 'dated':
      return { ...blank(`${a} ${c}`), from: '2000-01-01T00:00:00.000Z' };
    case 'prefix':
      return blank(`${b.slice(0, Math.max(4, b.length - 2))}* ${a}`);
  }
}

/** `n` saved searches of mixed kinds ({@link ALERT_KINDS} in turn), around specific words (see {@link makeAlertQuery}). */
export function makeAlertMix(
  random: () => number,
  articles: readonly Article[],
  n: number,
  paragraphsWith: (form: string) => number,
): { kind: AlertKind; query: AlertQuery }[] {
  const out: { kind: AlertKind; query: AlertQuery }[] = [];
  for (let i = 0; out.length < n && i < n * 20; i++) {
    const kind = ALERT_KINDS[out.length % ALERT_KINDS.length]!;
    const query = makeAlertQuery(random, articles, kind, paragraphsWith);
    if (query) out.push({ kind, query });
  }
  return out;
}
