import { stemmer } from 'stemmer';

const ALPHA = /^[a-z]+$/;
const cache = new Map<string, string>();
const CACHE_LIMIT = 500_000;

/**
 * The Porter stem of a normalized form (`displaced` → `displac`). Forms with
 * digits or non-ASCII letters, and forms of two letters or fewer, are their own
 * stem. Stems a form exactly once: Porter is not idempotent (`agreed` → `agre` → `agr`).
 * Memoized, since a corpus repeats its vocabulary millions of times.
 */
export function stemForm(form: string): string {
  let stem = cache.get(form);
  if (stem !== undefined) return stem;
  stem = form.length > 2 && ALPHA.test(form) ? stemmer(form) : form;
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(form, stem);
  return stem;
}
