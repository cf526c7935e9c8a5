/**
 * Near-duplicates and versions on the page: the "N other versions" list under a
 * grouped hit, the "corrected on …" line, and the versions of the open article
 * with their differences. Built with `h` (text nodes only): nothing from the API
 * is parsed as HTML here.
 */

import { getJson } from './api.js';
import { h, plural, renderDate } from './dom.js';
import { urlOf, withChanges } from './state.js';

/**
 * What goes under a hit: "Corrected on …" when its current version replaced
 * another, and an expandable "N other versions" list when it stands for a group
 * of near-duplicates (each a link to that article).
 * @param {any} hit A `/search` hit (with `duplicates` when grouped).
 * @param {import('./state.js').UiState} state
 * @returns {HTMLElement[]}
 */
export function renderHitVersions(hit, state) {
  const parts = [];
  if (typeof hit.correctedAt === 'string')
    parts.push(h('p', { class: 'hit-corrected' }, 'Corrected on ', renderDate(hit.correctedAt)));
  const others = hit.duplicates?.count ?? 0;
  if (others > 0) {
    const list = h('ul', { class: 'hit-versions-list' });
    for (const id of hit.duplicates.articleIds)
      list.append(h('li', {}, h('a', { href: urlOf(withChanges(state, { article: id })), 'data-nav': '' }, id)));
    if (others > hit.duplicates.articleIds.length)
      list.append(h('li', {}, `… and ${others - hit.duplicates.articleIds.length} more`));
    parts.push(
      h(
        'details',
        { class: 'hit-versions' },
        h('summary', {}, plural(others, 'other version', 'other versions')),
        list,
      ),
    );
  }
  return parts;
}

/**
 * `GET /articles/{id}/versions`.
 * @param {string} articleId
 * @param {AbortSignal} [signal]
 */
export function getVersions(articleId, signal) {
  return getJson(`/articles/${encodeURIComponent(articleId)}/versions`, signal);
}

/** "2 paragraphs edited, 1 added" from a version's `changes`. */
function describeChanges(changes) {
  if (!changes) return 'first version kept';
  const parts = [];
  if (changes.titleChanged) parts.push('headline changed');
  for (const [key, word] of [
    ['edited', 'edited'],
    ['added', 'added'],
    ['removed', 'removed'],
  ]) {
    if (changes[key] > 0) parts.push(`${plural(changes[key], 'paragraph', 'paragraphs')} ${word}`);
  }
  return parts.length ? parts.join(', ') : 'metadata changed';
}

/** One paragraph of a diff: kept, added, removed, or edited (the old text struck through above the new). */
function renderChange(change) {
  if (change.op === 'edited') {
    return h('div', { class: 'diff-edited' }, h('del', {}, change.previous), h('ins', {}, change.text));
  }
  if (change.op === 'added') return h('ins', { class: 'diff-added' }, change.text);
  if (change.op === 'removed') return h('del', { class: 'diff-removed' }, change.text);
  return h('p', { class: 'diff-same' }, change.text);
}

/**
 * The "Versions" section under an article that has more than one: each version
 * with its date and what changed, and, opened on demand, its paragraph-level
 * differences from the one before (fetched then).
 * @param {any} versions A `/articles/{id}/versions` response.
 * @returns {HTMLElement|null} Null when the article never changed.
 */
export function renderVersions(versions) {
  const list = versions?.versions ?? [];
  if (list.length < 2) return null;
  const section = h(
    'section',
    { class: 'versions', 'aria-labelledby': 'versions-heading' },
    h('h2', { id: 'versions-heading', class: 'versions-heading' }, plural(list.length, 'version', 'versions')),
  );
  const items = h('ol', { class: 'versions-list', reversed: true });
  for (const version of [...list].reverse()) {
    const label = h(
      'span',
      {},
      `Version ${version.version}${version.current ? ' (current)' : ''}`,
      version.at ? ' · ' : '',
      version.at ? renderDate(version.at) : null,
      ` · ${describeChanges(version.changes)}`,
    );
    if (!version.changes) {
      items.append(h('li', {}, label));
      continue;
    }
    const body = h('div', { class: 'diff' });
    const details = h('details', { class: 'version' }, h('summary', {}, label), body);
    details.addEventListener('toggle', async () => {
      if (!details.open || body.childElementCount) return;
      try {
        const one = await getJson(
          `/articles/${encodeURIComponent(versions.articleId)}/versions/${version.version}?diff=${version.version - 1}`,
        );
        if (one.diff?.titleBefore !== one.title)
          body.append(h('div', { class: 'diff-edited' }, h('del', {}, one.diff.titleBefore), h('ins', {}, one.title)));
        for (const change of one.diff?.paragraphs ?? []) body.append(renderChange(change));
      } catch {
        body.append(h('p', {}, 'The differences could not be loaded.'));
      }
    });
    items.append(h('li', {}, details));
  }
  section.append(items);
  return section;
}
