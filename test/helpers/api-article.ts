import type { Article } from '../../src/corpus/article.js';
import { makeArticle } from '../fixtures/http/build-test-index.js';

/** An article as the API would store it: one paragraph, the title `Title <id>`, no metadata, file `(api)`. */
export function apiArticle(id: string, text: string): Article {
  return makeArticle({ id, title: `Title ${id}`, paragraphs: [text], file: '(api)' });
}
