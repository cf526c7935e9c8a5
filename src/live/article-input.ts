import type { Article } from '../corpus/article.js';
import { articleFromRecord } from '../corpus/article-from-record.js';
import { SearchError } from '../errors.js';
import { API_FILE } from '../index/article-overrides.js';

/** Fields an article written through the API may have: the JSON import's, plus `id`, `status` and `publishAt`. */
export const ARTICLE_FIELDS = [
  'id',
  'title',
  'date',
  'authors',
  'byline',
  'source',
  'section',
  'url',
  'dateline',
  'tags',
  'topics',
  'places',
  'body',
  'paragraphs',
  'status',
  'publishAt',
] as const;

/** Longest article id accepted, in characters. */
export const MAX_ID_LENGTH = 512;

/** Throws `invalid_article_id` unless `id` is a usable article id. */
export function checkArticleId(id: string): void {
  if (id.trim() === '' || id !== id.trim())
    throw new SearchError('invalid_article_id', 'An article id must not be empty nor start or end with spaces.');
  if (id.length > MAX_ID_LENGTH)
    throw new SearchError(
      'invalid_article_id',
      `An article id has at most ${MAX_ID_LENGTH} characters, got ${id.length}.`,
    );
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(id))
    throw new SearchError('invalid_article_id', 'An article id must not hold control characters.');
  // Ids are paths (`bbc/tech/1`): a URL cannot carry `.` or `..` segments back unchanged (browsers and
  // proxies resolve them, `%2E` included), nor an empty one (`a//b`, `/a`, `a/`: proxies merge slashes).
  for (const segment of id.split('/')) {
    if (segment === '.' || segment === '..' || segment === '') {
      throw new SearchError(
        'invalid_article_id',
        'An article id is a path of names separated by `/`: no name may be empty, `.` or `..` (a URL could not reach the article).',
      );
    }
  }
}

/**
 * The article a client sent (one JSON object) for id `id`, normalized as the
 * JSON import does. Strict where the import is lenient, since a person is
 * waiting for the answer: an unknown field, a field of the wrong type, a bad
 * `status`, `publishAt` or `date`, an `id` that differs from the path's, or no
 * body is a `invalid_article` error naming the field (prefixed with `where`, e.g. `line 3: `).
 */
export function articleFromInput(id: string, value: unknown, where = ''): Article {
  checkArticleId(id);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SearchError(
      'invalid_article',
      `${where}The article must be a JSON object, got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}.`,
    );
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!(ARTICLE_FIELDS as readonly string[]).includes(key)) {
      throw new SearchError(
        'invalid_article',
        `${where}Unknown field \`${key.slice(0, 80)}\`; the fields are ${ARTICLE_FIELDS.join(', ')}.`,
      );
    }
  }
  if (record['id'] !== undefined && String(record['id']) !== id) {
    throw new SearchError(
      'invalid_article',
      `${where}The field \`id\` (\`${String(record['id']).slice(0, 80)}\`) differs from the id in the path (\`${id.slice(0, 80)}\`).`,
    );
  }
  const problems: string[] = [];
  const article = articleFromRecord(API_FILE, { ...record, id }, id, (_kind, message) => problems.push(message));
  if (problems.length > 0 || !article) {
    const message = problems[0] ?? 'missing body';
    const field =
      /field "([^"]+)"/.exec(message)?.[1] ??
      (message === 'missing body' ? 'body' : /date/.test(message) ? 'date' : undefined);
    throw new SearchError(
      'invalid_article',
      `${where}${field ? `Bad field \`${field}\`: ` : ''}${message.replace(/^ignored field "[^"]+": /, '')}${message === 'missing body' ? ' (give `body` or `paragraphs` with some text)' : ''}.`,
    );
  }
  return article;
}
