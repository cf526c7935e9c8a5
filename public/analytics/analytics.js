/**
 * The editors' analytics page: asks for the admin key (kept for the tab only), then shows the
 * reports of `GET /analytics/queries` (top and no-hit queries) and `GET /analytics/clicks` (clicks by
 * position) with a daily chart. Queries are readers' input: written as text, never as HTML.
 */
const KEY_STORAGE = 'newsroom-search:admin-key';
const SVG = 'http://www.w3.org/2000/svg';

const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
const keyInput = /** @type {HTMLInputElement} */ ($('key'));
const fromInput = /** @type {HTMLInputElement} */ ($('from'));
const toInput = /** @type {HTMLInputElement} */ ($('to'));

try {
  keyInput.value = sessionStorage.getItem(KEY_STORAGE) ?? '';
} catch {
  // No storage: the key is typed each time.
}

/** GET an analytics report as JSON with the admin key; throws with the API's message. */
async function report(/** @type {string} */ path) {
  const response = await fetch(path, {
    headers: { Accept: 'application/json', Authorization: `Bearer ${keyInput.value.trim()}` },
  });
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new Error(body?.message ?? `The service answered ${response.status}.`);
  return body;
}

/** Fills a table's body with rows of cells (numbers right-aligned). */
function fillTable(/** @type {string} */ id, /** @type {(string|number)[][]} */ rows, /** @type {string} */ empty) {
  const body = /** @type {HTMLTableSectionElement} */ ($(id).querySelector('tbody'));
  body.replaceChildren();
  if (rows.length === 0) rows = [[empty]];
  for (const row of rows) {
    const tr = body.insertRow();
    for (const cell of row) {
      const td = tr.insertCell();
      td.textContent = typeof cell === 'number' ? cell.toLocaleString('en-GB') : cell;
      if (typeof cell === 'number') td.className = 'n';
    }
  }
}

/** An SVG element with attributes. */
function svg(/** @type {string} */ name, /** @type {Record<string, string|number>} */ attributes, text = '') {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  if (text) element.textContent = text;
  return element;
}

/** Bars of searches per day, no-hit searches in front; first and last day labelled. */
function drawChart(/** @type {{day: string, searches: number, noHitSearches: number, clicks: number}[]} */ days) {
  const width = 900;
  const height = 180;
  const top = Math.max(1, ...days.map((d) => d.searches));
  const step = width / Math.max(1, days.length);
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height + 20}`, role: 'img', 'aria-label': 'Searches per day' });
  days.forEach((d, i) => {
    const h = (d.searches / top) * height;
    const bar = svg('rect', { class: 'bar', x: i * step + 1, y: height - h, width: Math.max(1, step - 2), height: h });
    bar.append(
      svg('title', {}, `${d.day}: ${d.searches} searches, ${d.noHitSearches} with no hits, ${d.clicks} clicks`),
    );
    chart.append(bar);
    const nh = (d.noHitSearches / top) * height;
    if (nh > 0)
      chart.append(
        svg('rect', {
          class: 'bar no-hits',
          x: i * step + 1,
          y: height - nh,
          width: Math.max(1, step - 2),
          height: nh,
        }),
      );
  });
  if (days.length > 0) {
    chart.append(svg('text', { class: 'axis', x: 0, y: height + 14 }, days[0].day));
    chart.append(
      svg('text', { class: 'axis', x: width, y: height + 14, 'text-anchor': 'end' }, days[days.length - 1].day),
    );
    chart.append(svg('text', { class: 'axis', x: 0, y: 10 }, `${top.toLocaleString('en-GB')} searches`));
  }
  const legend = document.createElement('p');
  legend.className = 'legend';
  const searches = document.createElement('span');
  searches.className = 'searches';
  searches.textContent = '■ searches';
  const noHits = document.createElement('span');
  noHits.className = 'no-hits';
  noHits.textContent = '■ with no hits';
  legend.append(searches, ' ', noHits);
  $('chart').replaceChildren(chart, legend);
}

async function show() {
  const range = new URLSearchParams();
  if (fromInput.value) range.set('from', fromInput.value);
  if (toInput.value) range.set('to', toInput.value);
  const suffix = range.toString() ? `&${range}` : '';
  $('status').textContent = 'Loading…';
  try {
    const [top, noHits, clicks] = await Promise.all([
      report(`/analytics/queries?kind=top&limit=50${suffix}`),
      report(`/analytics/queries?kind=no-hits&limit=50${suffix}`),
      report(`/analytics/clicks?${range}`),
    ]);
    try {
      sessionStorage.setItem(KEY_STORAGE, keyInput.value.trim());
    } catch {
      // Not kept: fine.
    }
    $('totals').textContent =
      `${top.searches.toLocaleString('en-GB')} searches, ${top.noHitSearches.toLocaleString('en-GB')} with no hits, ${top.clicks.toLocaleString('en-GB')} clicks on hits, ${top.from} to ${top.to}.`;
    fillTable(
      'top',
      top.queries.map((/** @type {any} */ q) => [q.query, q.count, q.clicks]),
      'No searches yet.',
    );
    fillTable(
      'no-hits',
      noHits.queries.map((/** @type {any} */ q) => [q.query, q.count]),
      'Every query found something.',
    );
    fillTable(
      'positions',
      clicks.positions.map((/** @type {any} */ p) => [String(p.position), p.count]),
      'No clicks yet.',
    );
    drawChart(top.days);
    $('report').hidden = false;
    $('status').textContent = '';
  } catch (error) {
    $('status').textContent = error instanceof Error ? error.message : String(error);
  }
}

$('controls').addEventListener('submit', (event) => {
  event.preventDefault();
  void show();
});
if (keyInput.value) void show();
