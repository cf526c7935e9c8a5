/**
 * Which files of a corpus folder are articles, by name alone.
 */

/** Extensions read as articles (lower case, with the dot), and the parser each one goes to. */
export const ARTICLE_EXTENSIONS = {
  '.txt': 'text',
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.json': 'json',
  '.ndjson': 'ndjson',
  '.jsonl': 'ndjson',
} as const;

/** The parser an article extension goes to. */
export type ArticleFormat = (typeof ARTICLE_EXTENSIONS)[keyof typeof ARTICLE_EXTENSIONS];

/**
 * What a file or folder name is:
 * - `temp`: an editor's temporary file (`notes.txt~`, `.#notes.txt`, `notes.txt.swp`,
 *   `.notes.txt.swp`, `#notes.txt#`): reported as "not an article: editor temp file";
 * - `hidden`: any other name starting with `.` (`.gitkeep`, `.git`): skipped silently;
 * - `article`: a supported extension (any case), with its format;
 * - `unsupported`: anything else, with its extension (`''` when it has none).
 * Temp patterns are tested first because some of them also start with a dot.
 */
export type CorpusPathKind =
  | { kind: 'temp' }
  | { kind: 'hidden' }
  | { kind: 'article'; format: ArticleFormat }
  | { kind: 'unsupported'; extension: string };

/** The kind of a file named `name` (a base name, no folders). */
export function classifyCorpusPath(name: string): CorpusPathKind {
  if (name.endsWith('~') || name.startsWith('.#') || /\.sw[a-p]$/i.test(name) || /^#.*#$/.test(name)) {
    return { kind: 'temp' };
  }
  if (name.startsWith('.')) return { kind: 'hidden' };
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? name.slice(dot).toLowerCase() : '';
  const format = (ARTICLE_EXTENSIONS as Record<string, ArticleFormat | undefined>)[extension];
  return format === undefined ? { kind: 'unsupported', extension } : { kind: 'article', format };
}

/** The problem message for a file that is not an article, or null for articles and hidden files. */
export function notAnArticleMessage(kind: CorpusPathKind): string | null {
  switch (kind.kind) {
    case 'temp':
      return 'not an article: editor temp file';
    case 'unsupported':
      return kind.extension === ''
        ? 'not an article: no file extension'
        : `not an article: unsupported extension ${kind.extension}`;
    default:
      return null;
  }
}
