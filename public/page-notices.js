/**
 * What the page tells beside the results: a notice above them (loading, error)
 * and a sentence said through the live region for screen readers.
 */

import { h } from './dom.js';
import { dom } from './page-dom.js';

/**
 * Shows a notice above the results (loading or error), or hides it.
 * @param {'loading'|'error'|null} kind
 * @param {string} [title]
 * @param {string} [detail]
 */
export function showNotice(kind, title = '', detail = '') {
  dom.notice.replaceChildren();
  dom.notice.className = kind ? `notice notice-${kind}` : 'notice';
  dom.notice.hidden = kind === null;
  if (kind === null) {
    dom.notice.removeAttribute('role');
    return;
  }
  dom.notice.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  if (kind === 'loading') dom.notice.append(h('span', { class: 'spinner', 'aria-hidden': 'true' }));
  dom.notice.append(
    h('p', { class: 'notice-title' }, title),
    detail ? h('p', { class: 'notice-detail' }, detail) : null,
  );
}

/**
 * Says `text` through the live region.
 * @param {string} text
 */
export function announce(text) {
  if (dom.live.textContent === text) dom.live.textContent = '';
  dom.live.textContent = text;
}
