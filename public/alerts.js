/**
 * Saved searches in the page: "Follow this search" saves the current search
 * (query and filters, read from the address bar) as an alert and shows its
 * feed link; "My alerts" lists the alerts with their latest matches. Alerts
 * need a key (the newsroom's search key or the admin key): the page asks for it
 * once and keeps it for the tab, as searches do.
 */
import { apiHeaders, storedKey } from './api.js';
import { setMarkedHtml } from './dom.js';

const KEY_STORAGE = 'newsroom-search:key';
const FILTERS = ['source', 'section', 'author', 'tag'];

/** Asks for a key when the tab has none; true when one is held. */
function ensureKey() {
  if (storedKey()) return true;
  const key = window.prompt("Alerts need your newsroom's key. Enter it:");
  if (!key?.trim()) return false;
  try {
    sessionStorage.setItem(KEY_STORAGE, key.trim());
  } catch {
    return false;
  }
  return true;
}

/**
 * Calls an alert route; resolves with the JSON body, or rejects with the API's message.
 * @param {string} method
 * @param {string} path
 * @param {object} [body]
 */
async function callAlerts(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: { ...apiHeaders(), 'Content-Type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const json = await response.json().catch(() => null);
  if (!response.ok)
    throw new Error(
      json && typeof json.message === 'string' ? json.message : `The service answered ${response.status}.`,
    );
  return json;
}

/** The search in the address bar as an alert body (null without a query). */
function currentSearch() {
  const params = new URLSearchParams(location.search);
  const q = (params.get('q') ?? '').trim();
  if (!q) return null;
  /** @type {Record<string, unknown>} */
  const body = { name: q.slice(0, 200), q };
  for (const bound of ['from', 'to']) if (params.get(bound)) body[bound] = params.get(bound);
  for (const filter of FILTERS) if (params.getAll(filter).length) body[filter] = params.getAll(filter);
  return body;
}

/**
 * One alert as a list item: its name (linked to its feed), its query, and its latest matches with their snippets.
 * @param {{id: string, name: string, q: string, feedUrl: string, paused: boolean, latestMatches: {articleId: string, title: string, snippet: string}[]}} alert
 */
function renderAlert(alert) {
  const item = document.createElement('li');
  item.className = 'alert-item';
  const head = document.createElement('p');
  const feed = document.createElement('a');
  feed.href = alert.feedUrl;
  feed.textContent = alert.name;
  feed.title = 'Atom feed of this alert';
  const query = document.createElement('code');
  query.textContent = alert.q;
  head.append(feed, ' · ', query, alert.paused ? ' (paused)' : '');
  item.append(head);
  const matches = document.createElement('ul');
  matches.className = 'alert-matches';
  for (const match of alert.latestMatches) {
    const li = document.createElement('li');
    const link = document.createElement('a');
    link.href = `?article=${encodeURIComponent(match.articleId)}`;
    link.textContent = match.title;
    const snippet = document.createElement('span');
    snippet.className = 'snippet';
    setMarkedHtml(snippet, match.snippet);
    li.append(link, ' — ', snippet);
    matches.append(li);
  }
  if (alert.latestMatches.length === 0)
    matches.append(Object.assign(document.createElement('li'), { textContent: 'No match yet.' }));
  item.append(matches);
  return item;
}

/** Fills "My alerts" (the list of the tab's key's alerts). */
async function showAlerts(list, status) {
  if (!ensureKey()) return;
  try {
    const { alerts } = await callAlerts('GET', '/alerts');
    list.replaceChildren(...alerts.map(renderAlert));
    // The status keeps what "Follow this search" said (the feed link) when there are alerts to show.
    if (alerts.length === 0) status.textContent = 'No alerts yet: search, then "Follow this search".';
  } catch (error) {
    status.textContent = /** @type {Error} */ (error).message;
  }
}

/** Wires the "Follow this search" button and the "My alerts" panel. */
export function initAlerts() {
  const button = document.getElementById('follow-search');
  const panel = /** @type {HTMLDetailsElement|null} */ (document.getElementById('my-alerts'));
  const list = document.getElementById('alert-list');
  const status = document.getElementById('alert-status');
  if (!button || !panel || !list || !status) return;
  button.addEventListener('click', async () => {
    const body = currentSearch();
    if (!body) {
      status.textContent = 'Search for something first, then follow it.';
      panel.open = true;
      return;
    }
    if (!ensureKey()) return;
    try {
      const alert = await callAlerts('POST', '/alerts', body);
      status.replaceChildren(
        'Following. Feed: ',
        Object.assign(document.createElement('a'), {
          href: alert.feedUrl,
          textContent: new URL(alert.feedUrl, location.href).href,
        }),
      );
      if (panel.open) await showAlerts(list, status);
      else panel.open = true; // its toggle lists the alerts
    } catch (error) {
      status.textContent = /** @type {Error} */ (error).message;
      panel.open = true;
    }
  });
  panel.addEventListener('toggle', () => {
    if (panel.open) void showAlerts(list, status);
  });
}
