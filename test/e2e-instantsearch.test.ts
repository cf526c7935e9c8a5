/**
 * The InstantSearch example (`/instantsearch/`: Algolia's instantsearch.js quick-start with
 * `algoliasearch/lite`, bundled from `ui/instantsearch/`) in headless Chromium against the
 * Algolia-compatible routes, over the browser fixtures plus fourteen sport articles (to page
 * through). Skipped, with a warning, when Chromium is missing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FileAnalytics } from '../src/analytics/file-analytics.js';
import { SearchAnalytics } from '../src/analytics/search-analytics.js';
import { buildIndex } from '../src/index/index-writer.js';
import { HAVE_CHROMIUM, loadArticles, ROOT, useUiPage, warnWithoutChromium } from './fixtures/browser/ui-harness.js';
import { makeArticle } from './fixtures/http/build-test-index.js';
// @ts-expect-error: a build script in plain JavaScript, without types.
import { bundleInstantSearch } from '../scripts/bundle-instantsearch.mjs';

warnWithoutChromium();

const SEED_ID = 'haiti-soldiers-mexico-training';
const sport = Array.from({ length: 14 }, (_, i) =>
  makeArticle({
    id: `sport-${i + 1}`,
    title: `Cup match report ${i + 1}`,
    date: `${2019 + (i % 4)}-05-${String(i + 1).padStart(2, '0')}`,
    authors: ['Sam Reed'],
    source: 'Wire',
    section: 'sport',
    paragraphs: [`The cup match number ${i + 1} ended in a draw after extra time.`],
  }),
);

describe.skipIf(!HAVE_CHROMIUM)('InstantSearch example in Chromium', () => {
  const index = buildIndex([...loadArticles(), ...sport]);
  const analyticsDir = mkdtempSync(join(tmpdir(), 'nrs-instant-'));
  const analytics = new SearchAnalytics(new FileAnalytics(analyticsDir, 'main'));
  beforeAll(async () => {
    await bundleInstantSearch(ROOT);
  }, 60_000);
  afterAll(async () => {
    await analytics.close();
    rmSync(analyticsDir, { recursive: true, force: true });
  });
  const ui = useUiPage(() => index, { width: 1280, height: 900 }, { analytics, searchBudgetMs: 10_000 });
  let base = '';
  let page: Page;

  beforeEach(() => {
    ({ base, page } = ui);
  });

  /** The article ids of the hits shown, in order. */
  const hitIds = () =>
    page.$$eval('#hits .ais-Hits-item .hit-title a', (links) =>
      links.map((a) => new URL((a as HTMLAnchorElement).href).searchParams.get('article') ?? ''),
    );

  /** Waits until exactly `count` hits are shown. */
  const waitForCount = (count: number) =>
    page.waitForFunction((n) => document.querySelectorAll('#hits .ais-Hits-item').length === n, count, {
      timeout: 5000,
    });

  async function typeQuery(query: string): Promise<void> {
    await page.goto(`${base}/instantsearch/`);
    await page.locator('#hits .ais-Hits-item').first().waitFor();
    await page.locator('.ais-SearchBox-input').fill(query);
    await page.waitForFunction(
      (q) =>
        document.querySelector('#stats')?.textContent?.includes('result') &&
        (document.querySelector('.ais-SearchBox-input') as HTMLInputElement).value === q,
      query,
    );
  }

  it('renders the hits for "displaced" with <mark>ed highlights in their snippets', async () => {
    await typeQuery('displaced');
    await waitForCount(3);
    expect((await hitIds()).sort()).toEqual(['bbc-drought-farmers', 'reuters-flood-relief', SEED_ID].sort());
    const marks = await page.locator('#hits .ais-Hits-item .hit-snippet mark').allTextContents();
    expect(marks.length).toBeGreaterThanOrEqual(3);
    expect(new Set(marks.map((m) => m.toLowerCase()))).toEqual(new Set(['displaced']));
    expect(await page.textContent('#stats')).toMatch(/3 results/);
  });

  it("renders the hostile article's markup as text, with only the query word marked", async () => {
    await typeQuery('zebrafish');
    await waitForCount(1);
    const title = await page.locator('#hits .hit-title').textContent();
    expect(title).toContain('<script>window.__pwned=1</script>');
    expect(await page.locator('#hits .hit-snippet mark').first().textContent()).toBe('zebrafish');
    expect(await page.locator('#hits script, #hits img, #hits b').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
  });

  it("filters by a section through the refinement list, whose counts are /search's facets", async () => {
    await typeQuery('displaced');
    await waitForCount(3);
    const facets = (await (await fetch(`${base}/search?q=displaced&facets=section`)).json()) as {
      facetDistribution: { section: Record<string, number> };
    };
    const shown = await page.$$eval('#section-list .ais-RefinementList-item', (items) =>
      items.map(
        (item) =>
          [
            item.querySelector('.ais-RefinementList-labelText')?.textContent ?? '',
            Number(item.querySelector('.ais-RefinementList-count')?.textContent),
          ] as const,
      ),
    );
    expect(Object.fromEntries(shown)).toEqual(facets.facetDistribution.section);

    await page.locator('#section-list .ais-RefinementList-checkbox[value="world"]').check();
    await waitForCount(1);
    expect(await hitIds()).toEqual(['reuters-flood-relief']);
    // A disjunctive refinement list keeps the counts of the other sections.
    expect(await page.locator('#section-list .ais-RefinementList-item').count()).toBe(shown.length);
  });

  it('pages through the results with the pagination widget', async () => {
    await typeQuery('match');
    await waitForCount(10);
    expect(await page.textContent('#stats')).toMatch(/14 results/);
    const first = await hitIds();
    await page.locator('#pagination .ais-Pagination-item--nextPage a').click();
    await waitForCount(4);
    const second = await hitIds();
    expect(second.filter((id) => first.includes(id))).toEqual([]);
    expect(new Set([...first, ...second]).size).toBe(14);
  });

  it('narrows by a range of years with the range input, its bounds from facets_stats', async () => {
    await typeQuery('match');
    await waitForCount(10);
    expect(await page.getAttribute('.ais-RangeInput-input--min', 'placeholder')).toBe('2019');
    expect(await page.getAttribute('.ais-RangeInput-input--max', 'placeholder')).toBe('2022');
    await page.fill('.ais-RangeInput-input--min', '2020');
    await page.fill('.ais-RangeInput-input--max', '2021');
    await page.click('.ais-RangeInput-submit');
    // Years 2020 and 2021: sport articles 2, 3, 6, 7, 10, 11 and 14.
    await waitForCount(7);
    expect((await hitIds()).sort()).toEqual([
      'sport-10',
      'sport-11',
      'sport-14',
      'sport-2',
      'sport-3',
      'sport-6',
      'sport-7',
    ]);
  });

  it('counts the search and a click on a hit in the analytics', async () => {
    const before = await analytics.clicks(null, null);
    await typeQuery('extra time');
    await waitForCount(10);
    await page.locator('#hits .ais-Hits-item').nth(1).locator('.hit-title a').click();
    await page.waitForURL(/article=/);
    await expect
      .poll(async () => (await analytics.clicks(null, null)).clicks, { timeout: 5000 })
      .toBe(before.clicks + 1);
    const report = await analytics.clicks(null, null);
    expect(report.positions.find((p) => p.position === 2)?.count).toBeGreaterThanOrEqual(1);
    const top = await analytics.queries('top', null, null, 100);
    expect(top.queries.find((q) => q.query === 'extra time')).toMatchObject({ count: 1, clicks: 1 });
  });

  it("counts a click on the archive page's hits too, by its position in the results", async () => {
    const before = await analytics.clicks(null, null);
    await page.goto(`${base}/?q=displaced`);
    await page.locator('#hits .hit').nth(2).waitFor();
    expect(await page.locator('#hits .hit').nth(2).getAttribute('data-position')).toBe('3');
    await page.locator('#hits .hit').nth(2).locator('.hit-title a').click();
    await page.locator('#article-view .paragraph').first().waitFor();
    await expect
      .poll(async () => (await analytics.clicks(null, null)).clicks, { timeout: 5000 })
      .toBe(before.clicks + 1);
    const third = (report: { positions: { position: number; count: number }[] }) =>
      report.positions.find((p) => p.position === 3)?.count ?? 0;
    expect(third(await analytics.clicks(null, null))).toBe(third(before) + 1);
  });
});
