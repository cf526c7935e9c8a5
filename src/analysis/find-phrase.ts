import type { Token } from './tokenize.js';

/**
 * Where a phrase occurs in a token list: the index of each occurrence's first
 * token. A phrase occurs where its forms appear as consecutive tokens, in order.
 * Occurrences may overlap ("very very" in "very very very" occurs twice).
 */
export function findPhrase(tokens: readonly Token[], forms: readonly string[]): number[] {
  const starts: number[] = [];
  const n = forms.length;
  if (n === 0) return starts;
  outer: for (let i = 0; i + n <= tokens.length; i++) {
    for (let k = 0; k < n; k++) if (tokens[i + k]!.form !== forms[k]) continue outer;
    starts.push(i);
  }
  return starts;
}
