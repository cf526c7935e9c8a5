import { editRow } from './edit-row.js';

/**
 * A trie of word forms (UTF-16 code units, as `<` orders them) in flat typed arrays, for
 * edit-distance look-ups: the walk of a Levenshtein table down the trie, one row per node,
 * a subtree left as soon as its row's best cell exceeds the distance (Ukkonen's cut-off on
 * a trie, as spelling correctors have done since the 1990s). Made for the short lists a
 * correction looks in (the forms in at least some number of documents): two or three nodes a
 * form, 14 bytes a node.
 */
export class FormsTrie {
  private constructor(
    /** The code unit leading to each node (node 0, the root, has none). */
    private readonly unit: Uint16Array,
    private readonly firstChild: Int32Array,
    private readonly nextSibling: Int32Array,
    /** The number of the form ending at each node, or −1. */
    private readonly formAt: Int32Array,
    /** The longest form's length. */
    private readonly longest: number,
  ) {}

  /** The trie of `forms`, sorted by `<` and distinct (form i is number i). */
  static of(forms: readonly string[]): FormsTrie {
    let capacity = 1024;
    let unit = new Uint16Array(capacity);
    let firstChild = new Int32Array(capacity).fill(-1);
    let nextSibling = new Int32Array(capacity).fill(-1);
    let formAt = new Int32Array(capacity).fill(-1);
    let nodes = 1;
    let longest = 0;
    // path[j]: the node of the previous form's first j code units; last[j]: that node's last child.
    const path: number[] = [0];
    const lastChild: number[] = [-1];
    let previous = '';
    for (let f = 0; f < forms.length; f++) {
      const form = forms[f]!;
      if (f > 0 && !(previous < form)) throw new RangeError('forms must be sorted and distinct');
      let shared = 0;
      const limit = Math.min(previous.length, form.length);
      while (shared < limit && previous.charCodeAt(shared) === form.charCodeAt(shared)) shared++;
      for (let j = shared; j < form.length; j++) {
        if (nodes === capacity) {
          capacity *= 2;
          unit = grow(unit, capacity, 0);
          firstChild = grow(firstChild, capacity, -1);
          nextSibling = grow(nextSibling, capacity, -1);
          formAt = grow(formAt, capacity, -1);
        }
        const node = nodes++;
        unit[node] = form.charCodeAt(j);
        const parent = path[j]!;
        const sibling = lastChild[j]!;
        if (sibling === -1) firstChild[parent] = node;
        else nextSibling[sibling] = node;
        lastChild[j] = node;
        path[j + 1] = node;
        lastChild[j + 1] = -1;
      }
      path.length = form.length + 1;
      lastChild.length = form.length + 1;
      formAt[path[form.length]!] = f;
      if (form.length > longest) longest = form.length;
      previous = form;
    }
    return new FormsTrie(
      unit.slice(0, nodes),
      firstChild.slice(0, nodes),
      nextSibling.slice(0, nodes),
      formAt.slice(0, nodes),
      longest,
    );
  }

  /**
   * The forms within `maxDistance` edits (insertions, deletions, substitutions of UTF-16 code
   * units) of `form`, as `[form number, distance]` pairs in the forms' order. Only a band of
   * 2·maxDistance + 1 cells of each row can stay within the distance, so only those are computed.
   */
  within(form: string, maxDistance: number): [number, number][] {
    const out: [number, number][] = [];
    const m = form.length;
    const width = m + 1;
    const far = maxDistance + 1;
    const depth = Math.min(m + maxDistance, this.longest);
    const query = new Uint16Array(m);
    for (let k = 0; k < m; k++) query[k] = form.charCodeAt(k);
    // Row j's band is the same for every node at depth j, so the cells outside it keep "too far" for good.
    const rows = new Uint8Array((depth + 1) * width).fill(far);
    for (let k = 0; k <= Math.min(m, maxDistance); k++) rows[k] = k;
    if (m <= maxDistance && this.formAt[0]! >= 0) out.push([this.formAt[0]!, m]);
    const { unit, firstChild, nextSibling, formAt } = this;
    const parents = new Int32Array(depth + 1);
    let node = firstChild[0]!;
    let j = 1;
    while (j > 0) {
      if (node === -1 || j > depth) {
        j--;
        if (j > 0) node = nextSibling[parents[j]!]!;
        continue;
      }
      const best = editRow(rows, query, j, unit[node]!, maxDistance);
      if (best > maxDistance) {
        node = nextSibling[node]!;
        continue;
      }
      const f = formAt[node]!;
      const distance = rows[j * width + m]!;
      if (f >= 0 && j >= m - maxDistance && j <= m + maxDistance && distance <= maxDistance) out.push([f, distance]);
      parents[j] = node;
      node = firstChild[node]!;
      j++;
    }
    return out;
  }
}

function grow<T extends Uint16Array | Int32Array>(array: T, capacity: number, fill: number): T {
  const next = new (array.constructor as new (n: number) => T)(capacity);
  next.set(array);
  next.fill(fill, array.length);
  return next;
}
