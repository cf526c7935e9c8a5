/**
 * Markdown articles (`.md`): optional YAML front matter (see `parseFrontMatter`)
 * and a body of paragraphs separated by blank lines.
 *
 * Front-matter keys used: `title`, `date`, `authors` (list or string) or `byline`,
 * `source`, `section`, `url`, `tags` (list or comma-separated string). Others are ignored.
 */

import type { Article, Problem, ProblemKind } from './article.js';
import { articleIdFromPath, buildArticle, type RawArticleFields } from './build-article.js';
import { parseFrontMatter, type FrontMatterValue } from './parse-front-matter.js';
import { normalizeLineEnds, splitParagraphs } from './split-paragraphs.js';
import { stripMarkdown } from './strip-markdown.js';

export { stripMarkdown };

/**
 * The article in a `.md` file (at most one) and the problems found. Without a
 * front-matter `title`, a leading `# Heading` paragraph becomes the title;
 * without either, the title is derived from the first paragraph. The id is the
 * path without extension. Problems about front-matter values carry their line.
 */
export function parseMarkdownArticle(relPath: string, text: string): { articles: Article[]; problems: Problem[] } {
  const frontMatter = parseFrontMatter(normalizeLineEnds(text));
  const problems: Problem[] = frontMatter.problems.map((problem) => ({
    kind: 'front_matter',
    file: relPath,
    ...problem,
  }));
  const { data, keyLines } = frontMatter;

  /** A single string value; a non-empty list where one value belongs is reported. */
  const single = (key: string): string | undefined => {
    const value: FrontMatterValue | undefined = data[key];
    if (value === undefined || typeof value === 'string') return value;
    if (value.length === 0) return undefined;
    const line = keyLines[key];
    problems.push({
      kind: 'bad_field',
      file: relPath,
      ...(line === undefined ? {} : { line }),
      message: `front matter: "${key}" should be one value, not a list; ignored`,
    });
    return undefined;
  };

  const paragraphs = splitParagraphs(frontMatter.body);
  const fields: RawArticleFields = {
    id: articleIdFromPath(relPath),
    title: single('title'),
    date: single('date'),
    authors: data['authors'] ?? data['author'],
    byline: single('byline'),
    source: single('source'),
    section: single('section'),
    url: single('url'),
    tags: data['tags'],
    status: single('status'),
    publishAt: single('publishat') ?? single('publish_at'),
    paragraphs: [],
  };

  const first = paragraphs[0];
  // Only a single-line level-1 heading is a title; "## Background" is a subheading.
  if (fields.title === undefined && first !== undefined && /^#\s+/.test(first)) {
    fields.title = stripMarkdown(first);
    paragraphs.shift();
  }
  fields.paragraphs = paragraphs.map(stripMarkdown);

  const report = (kind: ProblemKind, message: string, field?: keyof RawArticleFields): void => {
    const line = field === undefined ? undefined : keyLines[field];
    problems.push(line === undefined ? { kind, file: relPath, message } : { kind, file: relPath, line, message });
  };
  const article = buildArticle(relPath, fields, report);
  return { articles: article ? [article] : [], problems };
}
