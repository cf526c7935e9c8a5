/**
 * The article view: loads the open article with the query marked, brings the
 * target paragraph into view, then lists its versions and related articles.
 */

import { getArticle, getRelated } from './api.js';
import { h } from './dom.js';
import { byId, dom } from './page-dom.js';
import { announce, showNotice } from './page-notices.js';
import { renderArticle, renderRelated } from './render.js';
import { screen } from './screen.js';
import { beginLoad, failLoad, isLatestLoad } from './screen-load.js';
import { urlOf } from './state.js';
import { getVersions, renderVersions } from './versions.js';

/** Loads and renders the open article, then brings the target paragraph into view. */
export async function showArticle() {
  const articleId = /** @type {string} */ (screen.state.article);
  const { seq, signal } = beginLoad();
  dom.main.setAttribute('aria-busy', 'true');
  try {
    const article = await getArticle(articleId, screen.state.q.trim(), signal);
    if (!isLatestLoad(seq)) return;
    dom.main.setAttribute('aria-busy', 'false');
    showNotice(null);
    const backHref = urlOf({ ...screen.state, article: null, paragraph: null });
    const view = renderArticle(article, backHref, screen.state.paragraph);
    dom.articleView.replaceChildren(view);
    dom.resultsView.hidden = true;
    dom.articleView.hidden = false;
    document.title = `${article.title} – Newsroom archive search`;
    const target = screen.state.paragraph === null ? null : document.getElementById(`p${screen.state.paragraph}`);
    if (target) {
      target.scrollIntoView({ block: 'center' });
      target.focus({ preventScroll: true });
      announce(
        `Opened ${article.title}, at paragraph ${screen.state.paragraph === null ? 1 : screen.state.paragraph + 1}.`,
      );
    } else {
      window.scrollTo(0, 0);
      byId('article-title')?.focus({ preventScroll: true });
      announce(`Opened ${article.title}.`);
    }
    void showVersions(articleId, seq, signal, view);
    void showRelated(articleId, seq, signal, view);
  } catch (error) {
    if (failLoad(error, seq)) {
      dom.resultsView.hidden = true;
      dom.articleView.hidden = false;
      dom.articleView.replaceChildren(
        h(
          'p',
          {},
          h(
            'a',
            { href: urlOf({ ...screen.state, article: null, paragraph: null }), class: 'back-link', 'data-nav': '' },
            '← Back to results',
          ),
        ),
      );
    }
  }
}

/**
 * Lists the versions of the open article under it (when it has more than one), once they arrive; a failure leaves them out.
 * @param {string} articleId
 * @param {number} seq The load it belongs to: a newer load drops it.
 * @param {AbortSignal} signal
 * @param {HTMLElement} view The rendered article.
 */
async function showVersions(articleId, seq, signal, view) {
  try {
    const section = renderVersions(await getVersions(articleId, signal));
    if (section && isLatestLoad(seq)) view.querySelector('.article-body')?.after(section);
  } catch {
    // Versions are an extra: the article reads fine without them.
  }
}

/**
 * Lists the articles related to the open one under it, once they arrive; a failure leaves the list out.
 * @param {string} articleId
 * @param {number} seq The load it belongs to: a newer load drops it.
 * @param {AbortSignal} signal
 * @param {HTMLElement} view The rendered article.
 */
async function showRelated(articleId, seq, signal, view) {
  try {
    const related = await getRelated(articleId, signal);
    if (isLatestLoad(seq)) view.append(renderRelated(related, screen.state));
  } catch {
    // Related articles are an extra: the article reads fine without them.
  }
}
