/**
 * One corpus file's bytes into articles: pure, no I/O. Checks that the bytes
 * are text, then dispatches by extension.
 */

import type { Article, Problem, ProblemKind } from './article.js';
import { classifyCorpusPath, notAnArticleMessage } from './classify-corpus-path.js';
import { parseJsonArticles } from './parse-json-articles.js';
import { parseMarkdownArticle } from './parse-markdown-article.js';
import { parseNdjsonArticles } from './parse-ndjson-articles.js';
import { parseTextArticle } from './parse-text-article.js';

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The articles in one corpus file and the problems found; bad input is reported,
 * never thrown. `relPath` is corpus-relative with `/` separators; it gives ids,
 * sections and the extension (`.txt`, `.md`/`.markdown`, `.json`, `.ndjson`/`.jsonl`,
 * any case).
 *
 * Whole-file problems (no articles then): "not an article: editor temp file",
 * "not an article: unsupported extension .xyz", "not an article: no file extension",
 * "empty file" (no bytes, or only whitespace), "not an article: binary file"
 * (contains a NUL byte), "invalid UTF-8". A UTF-8 byte-order mark is fine.
 * Format-specific problems are described with each parser.
 */
export function parseArticleFile(relPath: string, content: Buffer): { articles: Article[]; problems: Problem[] } {
  const fail = (kind: ProblemKind, message: string): { articles: Article[]; problems: Problem[] } => ({
    articles: [],
    problems: [{ kind, file: relPath, message }],
  });

  const kind = classifyCorpusPath(relPath.slice(relPath.lastIndexOf('/') + 1));
  if (kind.kind !== 'article')
    return fail('not_an_article', notAnArticleMessage(kind) ?? 'not an article: hidden file');
  if (content.length === 0) return fail('empty', 'empty file');
  if (content.includes(0)) return fail('not_an_article', 'not an article: binary file');

  let text: string;
  try {
    // The decoder drops a leading BOM (ignoreBOM defaults to false).
    text = UTF8.decode(content);
  } catch {
    return fail('invalid_utf8', 'invalid UTF-8');
  }
  if (text.trim() === '') return fail('empty', 'empty file');

  switch (kind.format) {
    case 'text':
      return parseTextArticle(relPath, text);
    case 'markdown':
      return parseMarkdownArticle(relPath, text);
    case 'json':
      return parseJsonArticles(relPath, text);
    case 'ndjson':
      return parseNdjsonArticles(relPath, text);
  }
}
