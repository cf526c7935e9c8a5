/** One source of a merge: its file, its name in the commit, and its deletions (one byte per article, 1 = deleted; null: none). */
export interface MergeSource {
  file: string;
  name: string;
  deleted: Uint8Array | null;
}
