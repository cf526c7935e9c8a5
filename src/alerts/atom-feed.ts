import { createHash } from 'node:crypto';
import type { Alert, FeedEntry } from './alert.js';

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** `text` safe in XML character data and attribute values; characters XML 1.0 forbids are dropped. */
export function escapeXml(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
}

/** A stable Atom id (a `tag:` URI, RFC 4151) for an alert, or for one article in its feed. */
function tagId(alertId: string, articleId?: string): string {
  return `tag:newsroom-search,2026:alerts/${encodeURIComponent(alertId)}${articleId === undefined ? '' : `/${encodeURIComponent(articleId)}`}`;
}

/** Where a feed's links point: the feed itself, and an article's page. */
export interface FeedLinks {
  /** The feed's own URL (`rel="self"`). */
  self: string;
  /** An article's page: its canonical URL when it has one, else the service's. */
  article: (articleId: string, url: string | null) => string;
}

/**
 * An alert's feed as an Atom document (RFC 4287): one entry per matching article,
 * newest first, each with its title, a link to the article, its dates (`published`:
 * first matched; `updated`: last changed) and the snippet of the matching paragraph
 * as an HTML summary (escaped HTML with `<mark>`s, escaped once more for XML).
 * `updated` of the feed is its newest entry's (or the alert's creation).
 */
export function renderAtomFeed(alert: Alert, entries: readonly FeedEntry[], links: FeedLinks): string {
  const updated = entries[0]?.updated ?? alert.updatedAt;
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>${escapeXml(tagId(alert.id))}</id>`,
    `  <title>${escapeXml(alert.name)}</title>`,
    `  <subtitle>${escapeXml(`Articles matching: ${alert.query.q}`)}</subtitle>`,
    `  <updated>${escapeXml(updated)}</updated>`,
    `  <link rel="self" type="application/atom+xml" href="${escapeXml(links.self)}"/>`,
    '  <author><name>newsroom-search</name></author>',
    '  <generator>newsroom-search</generator>',
  ];
  for (const entry of entries) {
    const a = entry.article;
    lines.push(
      '  <entry>',
      `    <id>${escapeXml(tagId(alert.id, a.articleId))}</id>`,
      `    <title>${escapeXml(a.title)}</title>`,
      `    <link rel="alternate" type="text/html" href="${escapeXml(links.article(a.articleId, a.url ?? null))}"/>`,
      `    <published>${escapeXml(entry.published)}</published>`,
      `    <updated>${escapeXml(entry.updated)}</updated>`,
      `    <summary type="html">${escapeXml(a.snippet)}</summary>`,
      '  </entry>',
    );
  }
  lines.push('</feed>', '');
  return lines.join('\n');
}

/** A strong ETag of a text (a body, or a digest of what it shows): `"` + 27 characters of its SHA-256 (base64url) + `"`. */
export function etagOf(body: string): string {
  return `"${createHash('sha256').update(body, 'utf8').digest('base64url').slice(0, 27)}"`;
}
