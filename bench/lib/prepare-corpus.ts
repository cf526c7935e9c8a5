/**
 * Where the benchmark's corpus comes from, and its scaled copies (I/O). The shared
 * corpora are never copied into the repository: scaled copies go to a temp folder.
 */
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, readdir, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (the folder holding `bench/`). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The shared corpora: `SHARED_CORPORA` when set (a worktree is not beside them), else beside the repository. */
export const SHARED_CORPORA = process.env['SHARED_CORPORA'] ?? path.resolve(REPO_ROOT, '../shared/corpora');
/** The tiny corpus of `--quick` runs. */
export const QUICK_FIXTURE = path.join(REPO_ROOT, 'bench/fixtures/corpus');

/** A source corpus: folders of `.txt` articles and NDJSON files, as the corpus reader reads them. */
export interface CorpusSource {
  /** Folders copied as they are (e.g. `bbc`), relative to `root`. */
  folders: string[];
  /** NDJSON files whose ids get a per-copy prefix in scaled copies, relative to `root`. */
  ndjson: string[];
  root: string;
}

/** The reference corpus (BBC + Reuters) when `../shared/corpora` holds it, else null. */
export function sharedCorpusSource(): CorpusSource | null {
  const bbc = path.join(SHARED_CORPORA, 'bbc');
  const reuters = path.join(SHARED_CORPORA, 'reuters-21578.ndjson');
  if (!existsSync(bbc) || !existsSync(reuters)) return null;
  return { root: SHARED_CORPORA, folders: ['bbc'], ndjson: ['reuters-21578.ndjson'] };
}

/** The quick-mode fixture corpus (always present). */
export function quickCorpusSource(): CorpusSource {
  return { root: QUICK_FIXTURE, folders: ['bbc'], ndjson: ['wires.ndjson'] };
}

/**
 * Writes `times` copies of the source into `dest` and returns `dest`. One copy is
 * the source as it is; with more, copy i goes to `copy<i>/` (so file-derived ids
 * differ) and NDJSON ids get the prefix `copy<i>-`: the text repeats with new ids.
 * Licence files are left out (they are not articles).
 */
export async function prepareCorpus(source: CorpusSource, times: number, dest: string): Promise<string> {
  await mkdir(dest, { recursive: true });
  for (let i = 1; i <= times; i++) {
    const base = times === 1 ? dest : path.join(dest, `copy${i}`);
    for (const folder of source.folders) {
      await cp(path.join(source.root, folder), path.join(base, folder), {
        recursive: true,
        filter: (src) => path.basename(src) !== 'LICENSE',
      });
    }
    for (const file of source.ndjson) {
      const text = await readFile(path.join(source.root, file), 'utf8');
      const lines = times === 1 || i === 1 ? text : renumber(text, `copy${i}-`);
      await mkdir(base, { recursive: true });
      await writeFile(path.join(base, file), lines);
    }
  }
  return dest;
}

function renumber(ndjson: string, prefix: string): string {
  return ndjson
    .split('\n')
    .map((line) => {
      if (!line.trim()) return line;
      const record = JSON.parse(line) as { id?: unknown };
      return JSON.stringify({ ...record, id: `${prefix}${String(record.id)}` });
    })
    .join('\n');
}

/** The first `.txt` article under `dir` in sorted order (for the one-changed-file check). */
export async function firstTextArticle(dir: string): Promise<string> {
  return (await textArticles(dir))[0] ?? '';
}

/** Every `.txt` article under `dir`, in sorted order (depth first). */
export async function textArticles(dir: string): Promise<string[]> {
  const found: string[] = [];
  const entries = (await readdir(dir, { withFileTypes: true }).catch(() => [])).sort((a, b) =>
    a.name < b.name ? -1 : 1,
  );
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isFile() && entry.name.endsWith('.txt')) found.push(full);
    else if (entry.isDirectory()) found.push(...(await textArticles(full)));
  }
  return found;
}

/** `n` of `list`, evenly spread (cycling when the list is shorter than `n`). */
export function spread<T>(list: readonly T[], n: number): T[] {
  if (list.length === 0) return [];
  if (list.length < n) return Array.from({ length: n }, (_, i) => list[i % list.length]!);
  return Array.from({ length: n }, (_, i) => list[Math.floor((i * list.length) / n)]!);
}

/**
 * Sets the access and modification time of every file under `dir` to `when`. A
 * corpus copied into a temp folder right before its snapshot is built carries
 * mtimes within 2 s of the snapshot, so `openIndex` re-hashes every file on the
 * next start; a real archive's files are older than its snapshot. Dating the copy
 * back (to a whole second, so `cp --preserve` copies keep exactly the same mtime)
 * measures that steady state.
 */
export async function dateFilesBack(dir: string, when: Date): Promise<number> {
  let count = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    await utimes(path.join(entry.parentPath, entry.name), when, when);
    count++;
  }
  return count;
}
