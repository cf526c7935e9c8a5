/**
 * Abbreviations that are spelled like words: `U.S.` and `us`, `A.M.` and `am`.
 *
 * An initialism's form is its letters (`U.K.` and `UK` are both `uk`), except
 * when those letters spell a common English word: then the form keeps its dots
 * (`U.S.`, `u.s.` → `u.s.`), so the abbreviation never matches the word, nor,
 * through the word's stem, `use` or `useful`. The undotted capitals that news
 * text writes for such an abbreviation (`US` in BBC copy) are read as it too.
 * Covered by the analyzer version: a change rebuilds snapshots.
 */

/** Letters of an initialism that spell an English word (lowercase, no dots). */
const WORD_INITIALISMS: ReadonlySet<string> = new Set([
  'am',
  'an',
  'as',
  'at',
  'be',
  'by',
  'do',
  'go',
  'he',
  'if',
  'in',
  'is',
  'it',
  'me',
  'my',
  'no',
  'of',
  'on',
  'or',
  'so',
  'to',
  'up',
  'us',
  'we',
  'who',
  'can',
  'was',
]);

/**
 * Undotted capitals read as the dotted abbreviation. Only `US`: the other
 * capitals of {@link WORD_INITIALISMS} (`IT`, `AM`, `WHO`, `NO`) are too often
 * the word itself in an all-capitals headline (Reuters writes its headlines so).
 */
const CAPITALS_AS_ABBREVIATION: ReadonlySet<string> = new Set(['US']);

/** `u.s.` for the letters `us`: each letter followed by a dot. */
function dotted(letters: string): string {
  let form = '';
  for (const letter of letters) form += `${letter}.`;
  return form;
}

/**
 * The form of an initialism given its lowercase letters without dots (`us` for
 * `U.S.`): the dotted form when the letters spell a word, else the letters.
 */
export function initialismForm(letters: string): string {
  return WORD_INITIALISMS.has(letters) ? dotted(letters) : letters;
}

/**
 * The form of a token written in ASCII letters and digits with at least one
 * capital (`US`, `Reuters`, `GDP`): the dotted abbreviation for the capitals
 * listed above, else the lowercase.
 */
export function capitalizedForm(raw: string): string {
  return raw.length <= 3 && CAPITALS_AS_ABBREVIATION.has(raw) ? dotted(raw.toLowerCase()) : raw.toLowerCase();
}

/**
 * Words whose period does not end a sentence (`Mr.`, `Gen.`, `Inc.`, `Sept.`), lowercase, no dot.
 * With single capitals (`John F. Kennedy`) and dotted initialisms (`U.S.`), the abbreviations that
 * sentence finding skips (see `number-sentences.ts`, `derive-title.ts`). Not part of any token's form.
 */
export const PERIOD_ABBREVIATIONS: ReadonlySet<string> = new Set([
  'mr',
  'mrs',
  'ms',
  'dr',
  'st',
  'jr',
  'sr',
  'no',
  'gov',
  'sen',
  'rep',
  'gen',
  'col',
  'lt',
  'sgt',
  'inc',
  'co',
  'corp',
  'ltd',
  'vs',
  'etc',
  'jan',
  'feb',
  'mar',
  'apr',
  'aug',
  'sept',
  'sep',
  'oct',
  'nov',
  'dec',
  'mt',
  'ft',
  'prof',
  'rev',
  'hon',
  'messrs',
  'mme',
  'adm',
  'capt',
  'cmdr',
  'maj',
  'cpl',
  'pvt',
  'supt',
  'insp',
  'dept',
  'approx',
  'est',
  'vol',
  'ave',
  'blvd',
  'bros',
  'nos',
  'pp',
]);
