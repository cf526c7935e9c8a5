import type { Request, RequestHandler } from 'express';
import { SearchError } from '../errors.js';
import { estimateSimilarity } from '../index/content-signature.js';
import { duplicateGroupsOf } from '../index/duplicate-groups.js';
import type { AppDeps } from './app-deps.js';
import { quoteValue } from './quote-value.js';
import { requireIndex } from './require-index.js';

/**
 * `GET /articles/{articleId}/duplicates`: the article's group of near-duplicates,
 * earliest published first (the first is the group's `groupId`: its original),
 * each member with its estimated similarity to this article (Jaccard of 5-word
 * shingles, 0–1; a member joined through another can be below the threshold),
 * date and source. An article without duplicates has an empty list.
 * 404 `article_not_found` for an unknown id.
 */
export function duplicatesHandler(deps: AppDeps, articleId: (req: Request) => string): RequestHandler {
  return async (req, res) => {
    const index = requireIndex(deps);
    const id = articleId(req);
    const ord = index.ordOf(id);
    if (ord < 0) throw new SearchError('article_not_found', `No article has the id \`${quoteValue(id)}\`.`);
    const groups = duplicateGroupsOf(index);
    const view = groups.view(index);
    const g = view.groupOf[ord] ?? -1;
    const members = g < 0 ? [] : view.members[g]!;
    const own = groups.signatureOf(index, ord);
    const listed = members.map((m) => {
      const meta = index.articleMeta(m);
      const signature = groups.signatureOf(index, m);
      return {
        articleId: meta.id,
        title: meta.title,
        date: meta.date,
        source: meta.source,
        similarity: own && signature ? estimateSimilarity(own, signature) : 0,
        self: m === ord,
      };
    });
    res.json({
      articleId: id,
      groupId: listed[0]?.articleId ?? null,
      threshold: groups.similarity,
      count: Math.max(0, listed.length - 1),
      members: listed,
    });
  };
}
