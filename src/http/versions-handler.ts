import type { Request, RequestHandler } from 'express';
import type { Article } from '../corpus/article.js';
import { SearchError } from '../errors.js';
import { diffParagraphs, summarizeChanges, type ChangeSummary } from '../live/diff-paragraphs.js';
import type { History } from '../live/version-history.js';
import { articleMeta } from '../query/results/build-hits.js';
import { hasAdminKey } from './api-keys.js';
import type { AppDeps } from './app-deps.js';
import { ParamReader, type IntegerParam, type ParamSpec } from './param-reader.js';
import { parseQueryString } from './parse-query-string.js';
import { quoteValue } from './quote-value.js';
import { requireIndex } from './require-index.js';

/** Largest version number or history number asked for. */
const MAX_NUMBER = 1_000_000;
/** `diff=m`: the version to compare with (0: no diff). */
const DIFF: IntegerParam = {
  kind: 'integer',
  name: 'diff',
  code: 'invalid_version_diff',
  min: 0,
  max: MAX_NUMBER,
  default: 0,
};
/** `history=h`: an earlier history, ended by a takedown (1 = the first; 0: the current one). Admin key only. */
const HISTORY: IntegerParam = {
  kind: 'integer',
  name: 'history',
  code: 'invalid_version_history',
  min: 0,
  max: MAX_NUMBER,
  default: 0,
};

/** The query parameters of `GET /articles/{articleId}/versions`; the OpenAPI document is tested against it. */
export const VERSIONS_PARAMETERS: readonly ParamSpec[] = [HISTORY];
/** The query parameters of `GET /articles/{articleId}/versions/{n}`. */
export const VERSION_PARAMETERS: readonly ParamSpec[] = [DIFF, HISTORY];

/** A version as the routes see it: its number, when it became current and until when, the article. */
interface Listed {
  version: number;
  at: string | null;
  until: string | null;
  current: boolean;
  article: Article;
}

/** The versions of a history, oldest first, the current article last when it is the current history. */
function versionsOf(history: History, current: Article | null): Listed[] {
  const listed: Listed[] = history.versions.map((v) => ({
    version: v.version,
    at: v.since,
    until: v.until,
    current: false,
    article: v.article,
  }));
  if (current) {
    const last = history.versions.at(-1);
    listed.push({
      version: (last?.version ?? history.forgotten) + 1,
      at: last?.until ?? null,
      until: null,
      current: true,
      article: current,
    });
  }
  return listed;
}

/** What changed from the version before (null for the first kept). */
function changesFrom(
  previous: Listed | undefined,
  version: Listed,
): (ChangeSummary & { titleChanged: boolean }) | null {
  if (!previous || previous.version !== version.version - 1) return null;
  return {
    ...summarizeChanges(diffParagraphs(previous.article.paragraphs, version.article.paragraphs)),
    titleChanged: previous.article.title !== version.article.title,
  };
}

function listing(versions: Listed[]) {
  return versions.map((v, i) => ({
    version: v.version,
    at: v.at,
    until: v.until,
    current: v.current,
    title: v.article.title,
    changes: changesFrom(versions[i - 1], v),
  }));
}

/**
 * The history asked for (`history` 0: the current one, whose article must be
 * live; h ≥ 1: the h-th earlier one, ended by a takedown, admin key only), and
 * its versions. 404 `article_not_found` for an id with no live article (taken
 * down, never written): no version of it is shown.
 */
function resolve(
  deps: AppDeps,
  req: Request,
  id: string,
  history: number,
): { versions: Listed[]; histories: readonly History[]; forgotten: number } {
  const index = requireIndex(deps);
  const current = index.getArticle(id) ?? null;
  const store = deps.versions?.() ?? null;
  const histories = store?.historiesOf(id) ?? [];
  if (history > 0) {
    if (!hasAdminKey(req, deps.keys ?? { admin: null, search: null })) {
      throw new SearchError(
        'unauthorized',
        '`history` shows versions from before a takedown: it needs the admin key (`Authorization: Bearer <ADMIN_API_KEY>`).',
      );
    }
    const ended = histories.filter((h) => h.takenDownAt !== null);
    const chosen = ended[history - 1];
    if (!chosen)
      throw new SearchError(
        'version_not_found',
        `The article \`${quoteValue(id)}\` has ${ended.length} earlier histories, not ${history}.`,
      );
    return { versions: versionsOf(chosen, null), histories, forgotten: chosen.forgotten };
  }
  if (!current) throw new SearchError('article_not_found', `No article has the id \`${quoteValue(id)}\`.`);
  const own = store?.currentHistory(id) ?? { versions: [], forgotten: 0, takenDownAt: null };
  return { versions: versionsOf(own, current), histories, forgotten: own.forgotten };
}

/**
 * `GET /articles/{articleId}/versions`: every kept version of the article,
 * oldest first (number, when it became current, title, what changed from the
 * one before: paragraphs added, removed, edited). With the admin key, also
 * how many earlier histories (ended by takedowns) the id has.
 */
export function versionsHandler(deps: AppDeps, articleId: (req: Request) => string): RequestHandler {
  return async (req, res) => {
    const r = new ParamReader(parseQueryString(req.originalUrl), VERSIONS_PARAMETERS);
    const id = articleId(req);
    const history = r.integer(HISTORY);
    const { versions, histories, forgotten } = resolve(deps, req, id, history);
    const admin = hasAdminKey(req, deps.keys ?? { admin: null, search: null });
    const earlier = histories.filter((h) => h.takenDownAt !== null);
    res.json({
      articleId: id,
      history,
      versions: listing(versions),
      forgotten,
      ...(admin
        ? {
            earlierHistories: earlier.map((h, i) => ({
              history: i + 1,
              takenDownAt: h.takenDownAt,
              versions: h.forgotten + h.versions.length,
            })),
          }
        : {}),
    });
  };
}

/**
 * `GET /articles/{articleId}/versions/{n}`: version `n` whole; with `diff=m`,
 * the paragraph-level diff from version `m` to it. 404 `version_not_found` for
 * a number never given, or forgotten past `MAX_VERSIONS`.
 */
export function versionHandler(
  deps: AppDeps,
  articleId: (req: Request) => string,
  versionNumber: (req: Request) => number,
): RequestHandler {
  return async (req, res) => {
    const r = new ParamReader(parseQueryString(req.originalUrl), VERSION_PARAMETERS);
    const diff = r.integer(DIFF);
    const history = r.integer(HISTORY);
    const id = articleId(req);
    const n = versionNumber(req);
    const { versions, forgotten } = resolve(deps, req, id, history);
    const find = (k: number, what: string) => {
      const found = versions.find((v) => v.version === k);
      if (found) return found;
      const why =
        k <= forgotten
          ? `was forgotten (at most ${deps.versions?.()?.maxVersions ?? 0} versions are kept)`
          : `does not exist (the versions are ${versions[0]?.version ?? 1}–${versions.at(-1)?.version ?? 1})`;
      throw new SearchError(
        what === 'diff' ? 'invalid_version_diff' : 'version_not_found',
        `Version ${k} of \`${quoteValue(id)}\` ${why}.`,
      );
    };
    const version = find(n, 'version');
    const from = diff > 0 ? find(diff, 'diff') : null;
    const changes = from ? diffParagraphs(from.article.paragraphs, version.article.paragraphs) : null;
    res.json({
      ...articleMeta(version.article),
      version: version.version,
      at: version.at,
      until: version.until,
      current: version.current,
      paragraphs: version.article.paragraphs,
      diff:
        from && changes
          ? {
              from: from.version,
              titleBefore: from.article.title,
              summary: summarizeChanges(changes),
              paragraphs: changes,
            }
          : null,
    });
  };
}
