/**
 * One row of a Levenshtein table kept in a band: row `j` of `rows` (rows of `query.length + 1`
 * cells, one per code unit of the query and one before them) from row `j − 1`, for code unit `c`
 * of the form at depth `j`. Only the cells within `maxDistance` of the diagonal can stay within the
 * distance, so only those are computed; the cells outside the band must hold `maxDistance + 1`
 * (they are never written, so a table filled with it once keeps them). Returns the row's best cell.
 */
export function editRow(rows: Uint8Array, query: Uint16Array, j: number, c: number, maxDistance: number): number {
  const m = query.length;
  const far = maxDistance + 1;
  const row = j * (m + 1);
  const above = row - (m + 1);
  const lo = j > maxDistance ? j - maxDistance : 0;
  const hi = Math.min(j + maxDistance, m);
  let best = far;
  for (let k = lo; k <= hi; k++) {
    let v = j;
    if (k > 0) {
      v = rows[above + k - 1]! + (query[k - 1] === c ? 0 : 1);
      const deleted = rows[above + k]! + 1;
      const inserted = rows[row + k - 1]! + 1;
      if (deleted < v) v = deleted;
      if (inserted < v) v = inserted;
      if (v > far) v = far;
    }
    rows[row + k] = v;
    if (v < best) best = v;
  }
  return best;
}
