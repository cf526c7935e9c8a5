/**
 * The people, organisations and places an article names, one name each.
 *
 * 1. Capitalised spans are found in each paragraph (`Alix Didier Fils-Aimé`,
 *    `Bank of England`): words that start with a capital, side by side, with
 *    `of`, `de`, `van`, `al` … between them; a comma or any other punctuation ends one.
 * 2. Leading words that do not belong to a name are dropped: a common word that
 *    starts a sentence (`In Haiti` → `Haiti`), a demonym (`Haitian`), titles
 *    (`Prime Minister`, `Mr.`), which also say the rest is a person.
 * 3. A span is typed with compromise's lexicon ({@link entityLexicon}): a country,
 *    city or region is a place; a known organisation, or a name that ends in an
 *    organisation word (`… Ministry`, `Bank of …`), an organisation; a span after a
 *    title, or that starts with a known first name, a person; a span next to a
 *    place word (`the capital Port-au-Prince`, `the Artibonite region`) a place.
 * 4. In one article, a shorter span that ends a person's longer name
 *    (`Fils-Aimé` after `Alix Didier Fils-Aimé`) is that person, and so is a longer
 *    span that ends in a person's surname: one entity, one
 *    name (the longest), and so is a dotted or short form of a place (`U.S.`).
 *
 * Spans that none of this types are left out: precision over recall. The article's
 * own metadata adds its tags that name a place (Reuters' `places`: `usa`, `west-germany`).
 */
import { PERIOD_ABBREVIATIONS } from './abbreviations.js';
import { entityLexicon, type EntityLexicon } from './entity-lexicon.js';
import { neighbourWords } from './neighbour-words.js';

/** The entities of one article: names, each once, in order of first mention. */
export interface ArticleEntities {
  people: string[];
  orgs: string[];
  places: string[];
}

/** An article's text and tags, as entity extraction reads them. */
export interface EntitySource {
  paragraphs: readonly string[];
  tags?: readonly string[];
}

type Kind = 'person' | 'org' | 'place';

const WORD = String.raw`\p{Lu}[\p{L}\p{M}\p{N}'’.\-]*`;
const JOINER = String.raw`(?:of|de|du|da|del|della|la|le|van|von|der|den|bin|ibn|al|el|y)`;
/** A capitalised span: capitalised words separated by one space, maybe with a joiner between. */
const SPAN = new RegExp(String.raw`${WORD}(?: (?:${JOINER} )?${WORD})*`, 'gu');
const IS_JOINER = new RegExp(`^${JOINER}$`, 'u');

const NAME_TAGS = new Set([
  'Country',
  'City',
  'Region',
  'Place',
  'Organization',
  'SportsTeam',
  'FirstName',
  'MaleName',
  'FemaleName',
  'LastName',
  'Person',
  'ProperNoun',
]);
const PLACE_TAGS = new Set(['Country', 'City', 'Region', 'Place']);
const ORG_TAGS = new Set(['Organization', 'SportsTeam']);
const FIRST_NAME_TAGS = new Set(['FirstName', 'MaleName', 'FemaleName']);
const TITLE_TAGS = new Set(['Honorific', 'Actor']);
const FUNCTION_TAGS = new Set([
  'Preposition',
  'Determiner',
  'Conjunction',
  'Pronoun',
  'Adverb',
  'QuestionWord',
  'Possessive',
  'Copula',
  'Modal',
]);

/** Acronyms of organisations that news copy writes bare and compromise's lexicon lacks. */
const ORG_ACRONYMS = new Set([
  'UN',
  'EU',
  'NATO',
  'IMF',
  'WTO',
  'WHO',
  'FBI',
  'CIA',
  'BBC',
  'ECB',
  'OECD',
  'UNICEF',
  'FIFA',
  'UEFA',
  'GATT',
]);

/** Other names of a place, folded to the one the facet shows. */
const PLACE_ALIASES: ReadonlyMap<string, string> = new Map([
  ['u.s.', 'United States'],
  ['us', 'United States'],
  ['usa', 'United States'],
  ['u.s.a.', 'United States'],
  ['america', 'United States'],
  ['u.k.', 'United Kingdom'],
  ['uk', 'United Kingdom'],
  ['britain', 'United Kingdom'],
  ['great britain', 'United Kingdom'],
  ['ussr', 'Soviet Union'],
  ['soviet union', 'Soviet Union'],
]);

const isInitialism = (word: string) => /^(?:\p{L}\.)+$/u.test(word);

/** The word without a trailing possessive or period (kept for an initialism: `U.S.`). */
function bare(word: string): string {
  // Most words end in none of ' ’ s . - and are their own bare form: no regular expression run for them.
  const last = word.charCodeAt(word.length - 1);
  if (last !== 0x27 && last !== 0x2019 && last !== 0x73 && last !== 0x2e && last !== 0x2d) return word;
  let w = word.replace(/['’]s?$/u, '');
  if (w.endsWith('.') && !isInitialism(w)) w = w.replace(/\.+$/u, '');
  return w.replace(/-+$/u, '');
}

/** True when the span at `at` starts a sentence: nothing, or a sentence end, an opening quote or a colon before it. */
function startsSentence(text: string, at: number): boolean {
  let i = at - 1;
  while (i >= 0 && /[\s"“‘'(—–-]/u.test(text[i]!)) i--;
  return i < 0 || /[.!?:;]/u.test(text[i]!);
}

interface Mention {
  name: string;
  kind: Kind | null;
}

/**
 * A span cut after each word that ends a sentence (`Stephen Hawking. Kapranos`): a word ending
 * in a period that is not an initialism (`U.S.`, `R.`, `J`) or an abbreviation (`Mr.`, `Calif.` is cut).
 */
function sentenceParts(at: number, raw: string): [number, string][] {
  const parts: [number, string][] = [];
  let start = 0;
  const words = raw.split(' ');
  let offset = 0;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    offset += word.length + 1;
    const ends =
      word.endsWith('.') &&
      !isInitialism(word) &&
      word.length - 1 > 1 &&
      !PERIOD_ABBREVIATIONS.has(word.slice(0, -1).toLowerCase());
    if (ends || i === words.length - 1) {
      parts.push([at + start, raw.slice(start, offset - 1)]);
      start = offset;
    }
  }
  return parts;
}

/**
 * What a capitalised span says on its own, wherever it stands: its name (titles and sentence-start words
 * dropped; null when it names nothing), its kind when the span itself tells it (null: only the words beside
 * it in the text can, see {@link readSpan}), and the head of a span cut at a title (`Bank of Japan` in
 * `Bank of Japan Governor Satoshi Sumita`), read the same way. A function of the span's text and whether it
 * starts a sentence alone, so a span met again is not read again ({@link spanReading}).
 */
interface SpanReading {
  name: string | null;
  kind: Kind | null;
  head: { raw: string; reading: SpanReading } | null;
}

function readSpanAlone(lexicon: EntityLexicon, raw: string, sentenceStart: boolean): SpanReading {
  let head: SpanReading['head'] = null;
  const nothing = (): SpanReading => ({ name: null, kind: null, head });
  const words = raw
    .split(' ')
    .map(bare)
    .filter((w) => w !== '');
  let titled = false;
  const tags = (w: string) => lexicon.tagsOf(w.toLowerCase());
  // A sentence's first word is capitalised anyway: dropped when the lexicon knows it as a common word.
  if (words.length > 0 && sentenceStart) {
    const first = tags(words[0]!);
    const common = first.length > 0 && !first.some((t) => NAME_TAGS.has(t) || TITLE_TAGS.has(t) || t === 'Demonym');
    // `In Haiti` loses `In`; `Sterling Software Inc` keeps `Sterling` (a common word, but not a function word).
    if (common && (words.length === 1 || first.some((t) => FUNCTION_TAGS.has(t)))) words.shift();
    else if (first.length === 0 && words.length === 1 && !/^\p{Lu}{2,}$/u.test(words[0]!)) return nothing();
  }
  // A title inside the span starts a person's name: `Bank of Japan Governor Satoshi Sumita`, `Vice-Prime Minister Oleg Rybachuk`.
  for (let t = words.length - 2; t >= 0; t--) {
    const next = words[t + 1]!;
    if (
      !lexicon.isTitle(words[t]!.toLowerCase()) ||
      IS_JOINER.test(next) ||
      lexicon.isOrgWord(words[words.length - 1]!.toLowerCase())
    )
      continue;
    const before = words.slice(0, t);
    if (
      before.length > 0 &&
      !lexicon.isTitle(before[before.length - 1]!.toLowerCase()) &&
      !before.some((w) => w.includes('-'))
    ) {
      const headRaw = before.join(' ');
      head = { raw: headRaw, reading: spanReading(lexicon, headRaw, sentenceStart) };
    }
    words.splice(0, t + 1);
    titled = true;
    break;
  }
  for (;;) {
    const first = words[0];
    if (first === undefined) return nothing();
    const two = words.length > 2 ? tags(`${first} ${words[1]}`) : [];
    if (two.some((t) => TITLE_TAGS.has(t))) {
      words.splice(0, 2);
      titled = true;
    } else if (words.length > 1 && tags(first).some((t) => TITLE_TAGS.has(t))) {
      words.shift();
      titled = true;
    } else if (
      words.length > 1 &&
      tags(first).includes('Demonym') &&
      !lexicon.isOrgWord(words[words.length - 1]!.toLowerCase())
    ) {
      // `Haitian soldiers` is no one; `Swiss National Bank` keeps its `Swiss`.
      words.shift();
    } else break;
  }
  // A title after a name (`Ruth Kelly MP`) is not part of it.
  while (
    words.length > 1 &&
    /^\p{Lu}+$/u.test(words[words.length - 1]!) &&
    lexicon.isTitle(words[words.length - 1]!.toLowerCase())
  )
    words.pop();
  // Joiners never start or end a name.
  while (words.length > 0 && IS_JOINER.test(words[words.length - 1]!)) words.pop();
  if (words.length === 0) return nothing();
  // A demonym alone (`Iranian`), or a company suffix alone (`Inc`, `Co Ltd`), names nothing.
  if (words.length === 1 && tags(words[0]!).includes('Demonym')) return nothing();
  if (words.every((w) => lexicon.isOrgWord(w.toLowerCase()))) return nothing();
  const name = words.join(' ');
  const key = name.toLowerCase();
  const whole = tags(key);
  const last = words[words.length - 1]!.toLowerCase();
  let kind: Kind | null = null;
  if (PLACE_ALIASES.has(key) || whole.some((t) => PLACE_TAGS.has(t))) kind = 'place';
  else if (
    whole.some((t) => ORG_TAGS.has(t)) ||
    ORG_ACRONYMS.has(name) ||
    (words.length > 1 &&
      words.some(
        (w, i) => lexicon.isOrgWord(w.toLowerCase()) && (i === words.length - 1 || IS_JOINER.test(words[i + 1]!)),
      ))
  )
    kind = 'org';
  else if (
    titled ||
    (words.length > 1 && (tags(words[0]!).some((t) => FIRST_NAME_TAGS.has(t)) || tags(last).includes('LastName')))
  )
    kind = 'person';
  return { name: PLACE_ALIASES.get(key) ?? name, kind, head };
}

/** Span readings remembered per thread, by text, one map for spans that start a sentence and one for the others. */
const readings = [new Map<string, SpanReading>(), new Map<string, SpanReading>()] as const;
/** Readings a map holds before it forgets them all (about 100 bytes each: some tens of MB at most). */
const MAX_READINGS = 200_000;

/** Forgets every remembered span reading (tests compare extraction with and without them). */
export function forgetSpanReadings(): void {
  for (const known of readings) known.clear();
}

/** {@link readSpanAlone}, remembered: news copy names the same people, places and organisations again and again. */
function spanReading(lexicon: EntityLexicon, raw: string, sentenceStart: boolean): SpanReading {
  const known = readings[sentenceStart ? 1 : 0];
  let reading = known.get(raw);
  if (reading === undefined) {
    reading = readSpanAlone(lexicon, raw, sentenceStart);
    if (known.size >= MAX_READINGS) known.clear();
    known.set(raw, reading);
  }
  return reading;
}

/** A span's reading as a mention at `at` in `text`: a span of no known kind next to a place word is a place. */
function mentionOf(
  lexicon: EntityLexicon,
  reading: SpanReading,
  text: string,
  at: number,
  length: number,
): Mention | null {
  if (reading.name === null) return null;
  let kind = reading.kind;
  if (kind === null) {
    const [before, after] = neighbourWords(text, at, at + length);
    if (lexicon.isPlaceWord(before) || lexicon.isPlaceWord(after)) kind = 'place';
  }
  return { name: reading.name, kind };
}

/**
 * One capitalised span as a mention: its name (titles and sentence-start words dropped) and its kind, if
 * known; the head before a title inside it goes to `heads` when it is an organisation or a place.
 */
function readSpan(lexicon: EntityLexicon, text: string, at: number, raw: string, heads: Mention[]): Mention | null {
  const reading = spanReading(lexicon, raw, startsSentence(text, at));
  if (reading.head) {
    // The head's neighbours are looked up as if it ran from `at` for its own length (as it always was).
    const head = mentionOf(lexicon, reading.head.reading, text, at, reading.head.raw.length);
    if (head && head.kind !== null && head.kind !== 'person') heads.push(head);
  }
  return mentionOf(lexicon, reading, text, at, raw.length);
}

/** The entities named in an article's paragraphs (see the module comment). Pure; a few microseconds per capitalised span. */
export function extractEntities(article: EntitySource): ArticleEntities {
  const lexicon = entityLexicon();
  const mentions: Mention[] = [];
  for (const text of article.paragraphs) {
    // `exec` over the one global expression: `matchAll` would copy it for every paragraph.
    SPAN.lastIndex = 0;
    for (let match = SPAN.exec(text); match !== null; match = SPAN.exec(text)) {
      for (const [at, raw] of sentenceParts(match.index, match[0])) {
        const heads: Mention[] = [];
        const mention = readSpan(lexicon, text, at, raw, heads);
        mentions.push(...heads);
        if (mention) mentions.push(mention);
      }
    }
  }
  // A longer span that ends in a person's name is that person (`Alix Didier Fils-Aimé` after `Prime Minister Fils-Aimé`).
  const surnames = new Set(
    mentions.filter((m) => m.kind === 'person').map((m) => m.name.split(' ').pop()!.toLowerCase()),
  );
  for (const m of mentions)
    if (m.kind === null && m.name.includes(' ') && surnames.has(m.name.split(' ').pop()!.toLowerCase()))
      m.kind = 'person';
  // A person's full name, by each shorter tail of it (`Fils-Aimé`, `Didier Fils-Aimé`).
  const people = new Map<string, string>();
  const byLength = mentions.filter((m) => m.kind === 'person').sort((a, b) => b.name.length - a.name.length);
  for (const { name } of byLength) {
    const words = name.split(' ');
    for (let i = 0; i < words.length; i++) {
      const tail = words.slice(i).join(' ').toLowerCase();
      if (!people.has(tail)) people.set(tail, name);
    }
  }
  const out: ArticleEntities = { people: [], orgs: [], places: [] };
  const seen = new Set<string>();
  const add = (list: string[], name: string, kind: Kind) => {
    const key = `${kind}:${name.toLowerCase()}`;
    if (seen.has(key)) return;
    seen.add(key);
    list.push(name);
  };
  for (const tag of article.tags ?? []) {
    const key = tag.toLowerCase().replace(/-/g, ' ');
    if (PLACE_ALIASES.has(key)) mentions.push({ name: PLACE_ALIASES.get(key)!, kind: 'place' });
    else if (lexicon.tagsOf(key).some((t) => PLACE_TAGS.has(t)))
      mentions.push({ name: key.replace(/(^|\s)\p{L}/gu, (c) => c.toUpperCase()), kind: 'place' });
  }
  for (const m of mentions) {
    const person = people.get(m.name.toLowerCase());
    // A name a person goes by is that person, whatever else the span looked like on its own (`Washington`).
    if (person && m.kind !== 'org') add(out.people, person, 'person');
    else if (m.kind === 'org') add(out.orgs, m.name, 'org');
    else if (m.kind === 'place') add(out.places, m.name, 'place');
  }
  return out;
}
