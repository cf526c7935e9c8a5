import { tokenize } from '../analysis/tokenize.js';

/** One paragraph of a paragraph-level diff. */
export type ParagraphChange =
  | { op: 'same'; text: string }
  | { op: 'added'; text: string }
  | { op: 'removed'; text: string }
  | { op: 'edited'; text: string; previous: string };

/** What a diff changed: paragraphs added, removed and edited. */
export interface ChangeSummary {
  added: number;
  removed: number;
  edited: number;
}

/** Share of words two paragraphs must have in common (of the longer's distinct words) for a removal and an addition in one place to be an edit. */
const EDIT_OVERLAP = 0.4;

function wordOverlap(a: string, b: string): number {
  const wa = new Set(tokenize(a).map((t) => t.form));
  const wb = new Set(tokenize(b).map((t) => t.form));
  let shared = 0;
  for (const w of wa) if (wb.has(w)) shared++;
  return shared / Math.max(1, wa.size, wb.size);
}

/**
 * The paragraph-level diff from `before` to `after`: a longest common
 * subsequence of equal paragraphs kept as `same`; between two kept ones, the
 * removed and added paragraphs are paired in order as `edited` while they share
 * at least 40 % of their words, the rest are `removed` then `added`. In the
 * order of `after`, removals where they were. O(n·m) in paragraphs (articles
 * have tens).
 */
export function diffParagraphs(before: readonly string[], after: readonly string[]): ParagraphChange[] {
  const n = before.length;
  const m = after.length;
  // lcs[i][j]: length of the LCS of before[i…] and after[j…].
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i]![j] = before[i] === after[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const out: ParagraphChange[] = [];
  let removed: string[] = [];
  let added: string[] = [];
  const flush = () => {
    let k = 0;
    while (k < removed.length && k < added.length && wordOverlap(removed[k]!, added[k]!) >= EDIT_OVERLAP) {
      out.push({ op: 'edited', text: added[k]!, previous: removed[k]! });
      k++;
    }
    for (const text of removed.slice(k)) out.push({ op: 'removed', text });
    for (const text of added.slice(k)) out.push({ op: 'added', text });
    removed = [];
    added = [];
  };
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && before[i] === after[j]) {
      flush();
      out.push({ op: 'same', text: after[j]! });
      i++;
      j++;
    } else if (j < m && (i === n || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) added.push(after[j++]!);
    else removed.push(before[i++]!);
  }
  flush();
  return out;
}

/** How many paragraphs a diff added, removed and edited. */
export function summarizeChanges(changes: readonly ParagraphChange[]): ChangeSummary {
  const summary = { added: 0, removed: 0, edited: 0 };
  for (const c of changes) if (c.op !== 'same') summary[c.op]++;
  return summary;
}
