/**
 * Where Porter's stems are plainly wrong for news text, and what to use instead.
 *
 * Found by running Porter over the vocabulary of the BBC and Reuters corpora and
 * reading the largest groups of words that share a stem (`npm run conflations`
 * lists them): some join words of unrelated meaning, and a search for one then
 * finds, and marks, the other. Each entry below splits one Porter stem: a word
 * whose Porter stem is the key and which begins with one of the listed prefixes
 * gets that prefix's stem instead (the first prefix that fits); every other word
 * keeps Porter's stem. Covered by the analyzer version: a change rebuilds snapshots.
 */
const SPLITS: ReadonlyMap<string, readonly (readonly [prefix: string, stem: string])[]> = new Map([
  // new, newer | news
  ['new', [['news', 'news']]],
  // unit, units | united, unite, unites, uniting (the United States, the United Nations)
  [
    'unit',
    [
      ['unite', 'unite'],
      ['uniting', 'unite'],
    ],
  ],
  // international | internal, internally
  ['intern', [['internal', 'internal']]],
  // import, imports, imported | important, importance
  ['import', [['importan', 'importan']]],
  // general, generally | generate, generation, generator | generic | generous
  [
    'gener',
    [
      ['generat', 'generat'],
      ['generic', 'generic'],
      ['generous', 'generous'],
    ],
  ],
  // franc, francs | France
  ['franc', [['france', 'france']]],
  // sever, severed, severance | several | severe, severely, severity
  [
    'sever',
    [
      ['several', 'several'],
      ['severe', 'severe'],
      ['severit', 'severe'],
    ],
  ],
  // universal | university, universities | universe
  [
    'univers',
    [
      ['universit', 'universit'],
      ['universe', 'universe'],
    ],
  ],
  // execute, executed, execution | executive, executives
  ['execut', [['executive', 'executive']]],
  // commune | community, communities | communication, communicate
  [
    'commun',
    [
      ['communit', 'communit'],
      ['communicat', 'communicat'],
    ],
  ],
  // emerge, emerged, emerging, emergence | emergency, emergencies
  ['emerg', [['emergenc', 'emergenc']]],
  // secure, secured, securing | security, securities
  ['secur', [['securit', 'securit']]],
  // author, authors, authored | authority, authorities | authorize, authorization
  [
    'author',
    [
      ['authorit', 'authorit'],
      ['authoriz', 'authoriz'],
    ],
  ],
  // organ, organs | organization, organize | organic | organism
  [
    'organ',
    [
      ['organiz', 'organiz'],
      ['organic', 'organic'],
      ['organism', 'organism'],
    ],
  ],
  // displace, displaced, displacing (people driven from home) | displacement (of an engine, a ship; also of people)
  ['displac', [['displacement', 'displacement']]],
]);

/** Porter stems shorter than this, made from a longer word, are marked apart from the short words themselves. */
const MIN_STEM_LENGTH = 3;

/**
 * The stem of `form` given Porter's `stem` of it, with the exceptions applied:
 * a split stem (above) takes the stem of its prefix; and a stem shorter than
 * {@link MIN_STEM_LENGTH} letters made from a longer word (`use` → `us`, `one` →
 * `on`, `ores` → `or`, `his` → `hi`) gets a trailing `-` (`us-`), so the words
 * `us`, `on`, `or`, `hi` — their own stems — never match `use`, `one`, `ore`, `his`.
 * Never longer than `form`, and never changes its first letter (the highlighter relies on both).
 */
export function applyStemExceptions(form: string, stem: string): string {
  if (stem.length < MIN_STEM_LENGTH && form.length > stem.length) return `${stem}-`;
  const splits = SPLITS.get(stem);
  if (splits) for (const [prefix, split] of splits) if (form.startsWith(prefix)) return split;
  return stem;
}
