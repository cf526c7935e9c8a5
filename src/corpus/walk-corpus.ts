/**
 * The corpus folder's article files (I/O: reads folders, not files).
 */

import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { SearchError } from '../errors.js';
import type { Problem } from './article.js';
import { classifyCorpusPath, notAnArticleMessage } from './classify-corpus-path.js';
import { DEFAULT_CORPUS_LIMITS, type CorpusLimits } from './corpus-limits.js';
import { describeFileType } from './describe-file-type.js';

/** Error codes as text (`EACCES`), or the message when there is no code. */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.message : String(error);
}

/** Code-unit order: the same on every platform and locale, unlike `localeCompare`. */
export function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** True when `target` (a real path) is `root` (a real path) or inside it. */
export function isInsideFolder(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return relative === '' || (!relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative));
}

/**
 * The corpus-relative posix paths of every article file under `corpusDir`
 * (recursively, sorted in code-unit order), and the problems met on the way:
 * editor temp files, unsupported extensions, unreadable folders, entries that
 * are not regular files (FIFOs, sockets, devices, named with their type),
 * symbolic links to folders (not followed: they could loop) and, unless
 * `limits.followOutsideLinks`, symbolic links whose target is outside the
 * corpus folder. Hidden files and folders (`.gitkeep`, `.git/`) are skipped
 * silently. Symbolic links to regular files inside the corpus are followed.
 * Throws a SearchError with code `corpus_not_found` when `corpusDir` does not
 * exist (or cannot be reached), `corpus_not_a_folder` when it is a file.
 */
export async function walkCorpus(
  corpusDir: string,
  limits: Pick<CorpusLimits, 'followOutsideLinks'> = DEFAULT_CORPUS_LIMITS,
): Promise<{ paths: string[]; problems: Problem[] }> {
  let root;
  try {
    root = await stat(corpusDir);
  } catch (error) {
    throw new SearchError('corpus_not_found', `corpus folder not found: ${corpusDir} (${describeFsError(error)})`, {
      cause: error,
    });
  }
  if (!root.isDirectory()) throw new SearchError('corpus_not_a_folder', `corpus path is not a folder: ${corpusDir}`);

  const paths: string[] = [];
  const problems: Problem[] = [];
  const realRoot = await realpath(corpusDir);

  async function visit(relDir: string): Promise<void> {
    let entries;
    try {
      entries = await readdir(path.join(corpusDir, relDir), { withFileTypes: true });
    } catch (error) {
      problems.push({ kind: 'unreadable', file: relDir, message: `unreadable folder: ${describeFsError(error)}` });
      return;
    }
    for (const entry of entries) {
      const relPath = relDir === '' ? entry.name : `${relDir}/${entry.name}`;
      const kind = classifyCorpusPath(entry.name);
      if (kind.kind === 'hidden') continue;

      let type = describeFileType(entry);
      if (entry.isSymbolicLink()) {
        let target: string;
        try {
          target = await realpath(path.join(corpusDir, relPath));
          type = describeFileType(await stat(target));
        } catch (error) {
          problems.push({
            kind: 'unreadable',
            file: relPath,
            message: `unreadable file: broken symbolic link (${describeFsError(error)})`,
          });
          continue;
        }
        if (type === 'folder') {
          problems.push({ kind: 'not_followed', file: relPath, message: 'not followed: symbolic link to a folder' });
          continue;
        }
        if (!limits.followOutsideLinks && !isInsideFolder(realRoot, target)) {
          problems.push({
            kind: 'not_followed',
            file: relPath,
            message: 'not followed: symbolic link to outside the corpus folder',
          });
          continue;
        }
        if (type !== 'regular file') {
          problems.push({
            kind: 'not_a_file',
            file: relPath,
            message: `not a regular file: symbolic link to a ${type}; not read`,
          });
          continue;
        }
      }
      if (type === 'folder') {
        // Editor temp names are about files; a folder is entered unless hidden.
        await visit(relPath);
        continue;
      }
      if (type !== 'regular file') {
        problems.push({ kind: 'not_a_file', file: relPath, message: `not a regular file: ${type}; not read` });
        continue;
      }
      const message = notAnArticleMessage(kind);
      if (message === null) paths.push(relPath);
      else problems.push({ kind: 'not_an_article', file: relPath, message });
    }
  }

  await visit('');
  paths.sort(comparePaths);
  return { paths, problems };
}
