import { createHash } from 'node:crypto';
import type { Article } from '../corpus/article.js';
import type { EventArticle } from './alert.js';

/** What an alert's event and feed entry show of an article that matched: its id, headline, date, link and snippet. */
export function eventArticle(article: Article, snippet: string): EventArticle {
  return {
    articleId: article.id,
    title: article.title,
    date: article.date,
    ...(article.url ? { url: article.url } : {}),
    snippet,
  };
}

/** What a retraction shows of an article a feed held: the same, without a snippet. */
export function retractedArticle(shown: EventArticle): EventArticle {
  const { articleId, title, date, url } = shown;
  return { articleId, title, date, ...(url ? { url } : {}), snippet: '' };
}

/** A short digest of what an event shows: an article matched again with the same digest makes no update. */
export function eventDigest(shown: EventArticle): string {
  return createHash('sha256').update(JSON.stringify(shown)).digest('base64url').slice(0, 22);
}
