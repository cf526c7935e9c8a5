/**
 * New words for the scale-up corpus: plausible, pronounceable tokens that no text
 * held before (names, rare words, figures), each a pure function of a counter so
 * a seed gives the same corpus on every machine.
 */

const ONSETS = [
  'b',
  'c',
  'd',
  'f',
  'g',
  'h',
  'j',
  'k',
  'l',
  'm',
  'n',
  'p',
  'r',
  's',
  't',
  'v',
  'w',
  'z',
  'br',
  'ch',
  'dr',
  'gr',
  'kr',
  'sh',
  'st',
  'tr',
];
const NUCLEI = ['a', 'e', 'i', 'o', 'u', 'ai', 'ea', 'ou', 'ia'];
const CODAS = ['', '', 'n', 'r', 'l', 's', 'k', 'th'];

/** Every syllable, onset + nucleus + coda (1,872 of them). */
const SYLLABLES = ONSETS.flatMap((o) => NUCLEI.flatMap((n) => CODAS.map((c) => o + n + c)));
const UNIQUE_SYLLABLES = [...new Set(SYLLABLES)];

/** What kind of token a new word stands in for. */
export type MintKind = 'name' | 'word' | 'figure';

/**
 * The `counter`-th new token of a kind (counter ≥ 0): a word of two or more
 * syllables (the counter written in base 1,872, syllables as digits), capitalised
 * for a name; for a figure a number like `48,213.7` or `3.25`. Distinct counters
 * give distinct strings except where two syllable strings concatenate alike
 * (`ban`+`ra` vs `ba`+`nra`); the caller checks against the forms seen and asks again.
 */
export function mintWord(kind: MintKind, counter: number): string {
  if (kind === 'figure') {
    // Thousands with one decimal, or a small figure with two: both stay one token.
    const c = counter + 1;
    return c % 2 === 0
      ? `${(1000 + Math.floor(c / 2)).toLocaleString('en')}.${c % 10}`
      : `${Math.floor(c / 100) + 1}.${String(c % 100).padStart(2, '0')}`;
  }
  const base = UNIQUE_SYLLABLES.length;
  let n = counter + base; // at least two syllables
  let word = '';
  while (n > 0) {
    word = UNIQUE_SYLLABLES[n % base]! + word;
    n = Math.floor(n / base);
  }
  return kind === 'name' ? word[0]!.toUpperCase() + word.slice(1) : word;
}
