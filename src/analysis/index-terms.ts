import { stemForm } from './stem-form.js';

/**
 * Prefix of stem terms in the index. Each token is indexed twice: as its form
 * (`displaced`, matched exactly, by prefix and with typos) and as `~` + its stem
 * (`~displac`, matched by any word of that stem). Forms never contain `~`, so
 * the two never collide, and prefix or typo expansion can skip stems by their first character.
 */
export const STEM_MARK = '~';

/** The stem term of a form: `displaced` → `~displac`. */
export function stemTerm(form: string): string {
  return STEM_MARK + stemForm(form);
}

/** True when an index term is a stem term rather than a word form. */
export function isStemTerm(term: string): boolean {
  return term.charCodeAt(0) === 126; // '~'
}
