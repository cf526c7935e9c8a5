import { stemmer } from 'stemmer';
import { applyStemExceptions } from './stem-exceptions.js';

const ALPHA = /^[a-z]+$/;
const cache = new Map<string, string>();
const CACHE_LIMIT = 500_000;

/**
 * The Porter stem of a normalized form (`displaced` → `displac`). Forms with
 * digits or non-ASCII letters, and forms of two letters or fewer, are their own
 * stem. Stems a form exactly once: Porter is not idempotent (`agreed` → `agre` → `agr`).
 * Porter's plainly wrong conflations are split (`news` is not `new`, `use` not `us`): see `applyStemExceptions`.
 * Memoized, since a corpus repeats its vocabulary millions of times.
 */
export function stemForm(form: string): string {
  let stem = cache.get(form);
  if (stem !== undefined) return stem;
  stem = form.length > 2 && ALPHA.test(form) ? applyStemExceptions(form, stemmer(form)) : form;
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(form, stem);
  return stem;
}
