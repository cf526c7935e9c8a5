import type { Request, RequestHandler } from 'express';
import type { Article } from '../corpus/article.js';
import { isPublished } from '../corpus/publication.js';
import { SearchError } from '../errors.js';
import { articleFromInput, checkArticleId } from '../live/article-input.js';
import type { JournalChange } from '../live/journal.js';
import type { LiveArchive } from '../live/live-archive.js';
import { articleMeta } from '../query/results/build-hits.js';
import type { AppDeps } from './app-deps.js';
import { articleIdOf } from './article-id.js';
import { checkSameRequest, idempotencyOf, writtenWith } from './idempotency-key.js';
import { ndjsonLines, readBody } from './read-body.js';

/** Largest JSON body of `PUT /articles/{id}` and `DELETE`: 10 MB. */
export const MAX_ARTICLE_BODY_BYTES = 10 * 1024 * 1024;
/** Articles of a bulk import written (and made searchable) together. */
export const BULK_BATCH = 250;
/** Most problems a bulk import lists (the count covers all). */
const MAX_LISTED_PROBLEMS = 1000;

const JSON_TYPES = ['application/json'];
const NDJSON_TYPES = [
  'application/x-ndjson',
  'application/ndjson',
  'application/jsonl',
  'application/x-jsonlines',
  'application/json-lines',
];

/** The live archive, or 503 `index_loading` while the index opens. */
function requireLive(deps: AppDeps): LiveArchive {
  const live = deps.live?.archive() ?? null;
  if (!live || !deps.live)
    throw new SearchError('index_loading', 'The index is still loading; retry in a few seconds.');
  return live;
}

/** 415 unless the body's type is one of `types` (parameters such as `charset=utf-8` allowed). */
function requireType(req: Request, types: readonly string[]): void {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (!types.includes(type)) {
    throw new SearchError(
      'unsupported_media_type',
      `The body must be ${types.map((t) => `\`${t}\``).join(' or ')}, got ${type ? `\`${type.slice(0, 100)}\`` : 'no Content-Type'}.`,
    );
  }
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SearchError('invalid_json', `${what} is not valid JSON: ${(error as Error).message.slice(0, 200)}.`);
  }
}

/** What a write answers: the stored article's metadata and publication state. */
export function storedArticle(article: Article, nowMs: number) {
  return {
    ...articleMeta(article),
    status: article.status ?? 'published',
    publishAt: article.publishAt ?? null,
    published: isPublished(article, nowMs),
    paragraphs: article.paragraphs.length,
  };
}

/** `PUT /articles/{articleId}`: creates (201) or replaces (200) one article; answers once it is durable and searchable. */
export function putArticleHandler(deps: AppDeps): RequestHandler {
  return async (req, res) => {
    const live = requireLive(deps);
    const id = articleIdOf(req.params['articleId']);
    checkArticleId(id);
    requireType(req, JSON_TYPES);
    const body = await readBody(req, MAX_ARTICLE_BODY_BYTES);
    const article = articleFromInput(id, parseJson(body.toString('utf8'), 'The body'));
    const existed = live.has(id);
    const idem = idempotencyOf(req, id, body, !existed);
    const records = await deps.live!.writer().write([{ op: 'put', id, article, ...(idem ? { idem } : {}) }]);
    // A retry answers as the first attempt did: 201 if that one created the article.
    const created = writtenWith(records, idem)?.idem?.created ?? !existed;
    res
      .status(created ? 201 : 200)
      .location(`/articles/${encodeURIComponent(id)}`)
      .json(storedArticle(article, live.now()));
  };
}

/** `DELETE /articles/{articleId}`: takes an article down (optional JSON `{"reason"}`); 204, or 404 for an unknown id. */
export function deleteArticleHandler(deps: AppDeps): RequestHandler {
  return async (req, res) => {
    const live = requireLive(deps);
    const id = articleIdOf(req.params['articleId']);
    checkArticleId(id);
    let reason: string | undefined;
    let body: Buffer = Buffer.alloc(0);
    const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    if (hasBody) {
      requireType(req, JSON_TYPES);
      body = await readBody(req, MAX_ARTICLE_BODY_BYTES);
      const text = body.toString('utf8');
      if (text.trim() !== '') {
        const value = parseJson(text, 'The body');
        if (typeof value !== 'object' || value === null || Array.isArray(value))
          throw new SearchError('invalid_json', 'The body must be a JSON object such as `{"reason": "legal"}`.');
        const extra = Object.keys(value).find((k) => k !== 'reason');
        if (extra !== undefined)
          throw new SearchError(
            'invalid_reason',
            `Unknown field \`${extra.slice(0, 80)}\`; a takedown's body has only \`reason\`.`,
          );
        const given = (value as { reason?: unknown }).reason;
        if (given !== undefined && (typeof given !== 'string' || given.length > 2000))
          throw new SearchError('invalid_reason', '`reason` must be a string of at most 2,000 characters.');
        reason = given;
      }
    }
    const idem = idempotencyOf(req, id, body);
    if (!live.has(id) && !(await deps.live!.writer().has(id))) {
      // A retry of a takedown that happened (its first answer was lost) answers as that one did.
      const earlier = idem ? await deps.live!.writer().recall(idem.key) : undefined;
      if (!idem || !earlier)
        throw new SearchError('article_not_found', `No article has the id \`${id.slice(0, 200)}\`.`);
      checkSameRequest(idem, earlier);
      res.status(204).end();
      return;
    }
    const records = await deps
      .live!.writer()
      .write([{ op: 'delete', id, ...(reason === undefined ? {} : { reason }), ...(idem ? { idem } : {}) }]);
    writtenWith(records, idem);
    res.status(204).end();
  };
}

/**
 * `POST /articles`: a bulk create-or-replace, one JSON article (with `id`) per
 * line, read as a stream and written to the journal in batches of
 * {@link BULK_BATCH} (durable at once; the index follows in steps); a bad line
 * is listed (`{line, message}`) and skipped. Answers with the counts once every
 * line is searchable.
 */
export function bulkArticlesHandler(deps: AppDeps): RequestHandler {
  return async (req, res) => {
    const live = requireLive(deps);
    requireType(req, NDJSON_TYPES);
    const writer = deps.live!.writer();
    const problems: { line: number; message: string }[] = [];
    let failed = 0;
    let created = 0;
    let replaced = 0;
    let batch: JournalChange[] = [];
    const seen = new Set<string>();
    const flush = async () => {
      if (batch.length === 0) return;
      for (const change of batch) {
        if (seen.has(change.id) || live.has(change.id)) replaced++;
        else created++;
        seen.add(change.id);
      }
      // Durable now; searchable as the archive catches up (awaited once, at the end).
      await writer.append(batch);
      batch = [];
    };
    const problem = (line: number, message: string) => {
      failed++;
      if (problems.length < MAX_LISTED_PROBLEMS) problems.push({ line, message });
    };
    for await (const item of ndjsonLines(req, MAX_ARTICLE_BODY_BYTES)) {
      if (req.socket.destroyed) return;
      if ('tooLong' in item) {
        problem(item.line, `line longer than ${MAX_ARTICLE_BODY_BYTES / 1024 / 1024} MB; skipped`);
        continue;
      }
      if (item.text.trim() === '') continue;
      try {
        const value = parseJson(item.text, 'The line');
        const rawId = (value as { id?: unknown } | null)?.id;
        if (typeof rawId !== 'string' && typeof rawId !== 'number')
          throw new SearchError('invalid_article', 'Each line needs an `id` (a string or a number).');
        const id = String(rawId).trim();
        batch.push({ op: 'put', id, article: articleFromInput(id, { ...(value as object), id }) });
      } catch (error) {
        if (!(error instanceof SearchError)) throw error;
        problem(item.line, error.message);
      }
      if (batch.length >= BULK_BATCH) await flush();
    }
    await flush();
    await writer.settled();
    res.json({ written: created + replaced, created, replaced, failed, problems });
  };
}
