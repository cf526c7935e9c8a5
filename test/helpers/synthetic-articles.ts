import type { Article } from '../../src/corpus/article.js';

/** A small deterministic PRNG (mulberry32), so generated corpora are the same on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Words with shared stems and prefixes, common and rare, so stems, prefixes and typos all have work to do. */
export const WORDS = (
  'the the the the of of and and to in a is that for on said government governments governor govern ' +
  'election elections elected voters vote voting police officer officers market markets marketing bank banks banking ' +
  'oil price prices priced rate rates inflation trade trader traders trading displaced displacement displace refugee refugees ' +
  'storm storms flood flooding drought climate minister ministers ministry court courts ruling judge judges ' +
  'school schools teacher teachers hospital hospitals doctor doctors nurse health budget deficit tax taxes ' +
  'football match goal goals player players coach season film films actor actress award awards music album'
).split(' ');

const SOURCES = ['Reuters', 'CNN', 'BBC', 'AP'];
const SECTIONS = ['business', 'politics', 'sport', 'world', null];
const AUTHORS = ['Ana Ruiz', 'Ben Okafor', 'Chen Li', 'Dana Weiss'];

/** `count` articles of 2–6 paragraphs each, built from {@link WORDS} with a seeded PRNG. */
export function syntheticArticles(count: number, seed = 42): Article[] {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const sentence = (words: number) => {
    const parts: string[] = [];
    for (let i = 0; i < words; i++) parts.push(pick(WORDS));
    const text = parts.join(' ');
    return text[0]!.toUpperCase() + text.slice(1) + '.';
  };
  const articles: Article[] = [];
  for (let i = 0; i < count; i++) {
    const paragraphs: string[] = [];
    const n = 2 + Math.floor(random() * 5);
    for (let p = 0; p < n; p++)
      paragraphs.push(`${sentence(6 + Math.floor(random() * 20))} ${sentence(4 + Math.floor(random() * 12))}`);
    const day = 1 + Math.floor(random() * 28);
    const month = 1 + Math.floor(random() * 12);
    articles.push({
      id: `synthetic/${String(i).padStart(5, '0')}`,
      title: sentence(3 + Math.floor(random() * 6)).replace(/\.$/, ''),
      date: `20${10 + Math.floor(random() * 15)}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
      authors: random() < 0.7 ? [pick(AUTHORS)] : [],
      source: pick(SOURCES),
      section: pick(SECTIONS),
      url: null,
      tags: [],
      paragraphs,
      file: `synthetic/${String(i).padStart(5, '0')}.txt`,
    });
  }
  return articles;
}
