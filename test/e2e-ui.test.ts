/**
 * The archive UI (`public/`) in a real browser: headless Chromium driven by
 * playwright-core against `createApp` on a loopback port, over the seed article
 * plus the fixtures in `test/fixtures/e2e/` (filterable metadata, and one hostile
 * article full of markup). Skipped, with a warning, when Chromium is missing.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ArchiveIndex } from '../src/index/archive-index.js';
import { buildIndex } from '../src/index/index-writer.js';
import {
  HAVE_CHROMIUM,
  loadArticles,
  ROOT,
  useUiPage,
  waitForHitIds,
  warnWithoutChromium,
} from './fixtures/browser/ui-harness.js';

warnWithoutChromium();

const SEED_ID = 'haiti-soldiers-mexico-training';
/** The seed's "displaced" sentence is its 8th body paragraph (0-based index 7). */
const SEED_DISPLACED_PARAGRAPH = 7;

describe.skipIf(!HAVE_CHROMIUM)('archive UI in Chromium', () => {
  const index = buildIndex(loadArticles());
  /** What `getIndex` answers: null makes the API say 503 `index_loading`. */
  let served: ArchiveIndex | null = index;
  const ui = useUiPage(() => served, { width: 1280, height: 800 });
  let base = '';
  let page: Page;

  beforeEach(() => {
    served = index;
    ({ base, page } = ui);
  });

  /** Hit title links, in result order, as article ids. */
  async function hitIds(): Promise<string[]> {
    return page.$$eval('#hits .hit-title a', (links) =>
      links.map((a) => new URL((a as HTMLAnchorElement).href).searchParams.get('article') ?? ''),
    );
  }

  /** Waits until the result list holds exactly `ids` (in any order). */
  const waitForHits = (ids: string[]) => waitForHitIds(page, ids);

  it('shows the seed article with "displaced" marked as the word is typed, and saves the screenshot', async () => {
    await page.goto(`${base}/`);
    await page.locator('#hits .hit').first().waitFor(); // browse mode lists the newest articles first
    expect(await page.textContent('#results-heading')).toBe('Latest articles');

    await page.locator('#q').pressSequentially('displaced', { delay: 25 });
    await page.waitForFunction(() => new URLSearchParams(location.search).get('q') === 'displaced');
    await waitForHits([SEED_ID, 'reuters-flood-relief', 'bbc-drought-farmers']);

    const seedHit = page.locator('#hits .hit', { has: page.locator(`a[href*="article=${SEED_ID}"]`) });
    expect(await seedHit.locator('.snippet mark').allTextContents()).toContain('displaced');
    expect(await seedHit.locator('.meta').textContent()).toMatch(/25 Jul 2025.*Michael Rios.*CNN/);
    expect(await page.textContent('#summary')).toBe('3 articles · 3 matching paragraphs');
    expect(await page.locator('.parsed-query .chip').allTextContents()).toEqual(['displaced']);
    await page.waitForFunction(() => document.getElementById('live')?.textContent?.startsWith('3 articles'));

    // The screenshot of the results page, without the suggestion list or a caret.
    await page.locator('#q').blur();
    await page.waitForFunction(() => document.getElementById('suggestions')?.hidden === true);
    mkdirSync(join(ROOT, 'docs'), { recursive: true });
    await page.screenshot({ path: join(ROOT, 'docs', 'screenshot.png') });
  });

  it('never lets a slow answer for an earlier prefix overwrite the newer results', async () => {
    // Hold back the answer for "dis" until the answer for "displaced" is on screen.
    await page.route(/\/search\?q=dis&/, async (route) => {
      await new Promise((r) => setTimeout(r, 1200));
      await route.continue().catch(() => undefined); // the page aborted it: fine
    });
    await page.goto(`${base}/`);
    await page.locator('#hits .hit').first().waitFor();
    await page.locator('#q').pressSequentially('dis');
    await page.waitForTimeout(300); // past the debounce: the "dis" search is in flight
    await page.locator('#q').pressSequentially('placed');
    await waitForHits([SEED_ID, 'reuters-flood-relief', 'bbc-drought-farmers']);
    await page.waitForTimeout(1400);
    expect(await page.locator('.parsed-query .chip').allTextContents()).toEqual(['displaced']);
    expect((await hitIds()).length).toBe(3);
  });

  it("opens a snippet's article scrolled to and focused on the paragraph it came from", async () => {
    await page.goto(`${base}/?q=displaced`);
    const snippet = page.locator(`#hits a.snippet[href*="article=${SEED_ID}"]`);
    await snippet.waitFor();
    expect(await snippet.getAttribute('href')).toContain(`#p${SEED_DISPLACED_PARAGRAPH}`);
    await snippet.click();

    const target = page.locator(`#p${SEED_DISPLACED_PARAGRAPH}`);
    await target.waitFor();
    await page.waitForFunction((id) => document.activeElement?.id === id, `p${SEED_DISPLACED_PARAGRAPH}`);
    expect(new URL(page.url()).searchParams.get('article')).toBe(SEED_ID);
    expect(new URL(page.url()).hash).toBe(`#p${SEED_DISPLACED_PARAGRAPH}`);
    expect(await target.getAttribute('class')).toContain('target');
    expect(await target.locator('mark').allTextContents()).toEqual(['displaced']);
    const box = await target.boundingBox();
    expect(box).not.toBeNull();
    expect(box!.y).toBeGreaterThanOrEqual(0);
    expect(box!.y + box!.height).toBeLessThanOrEqual(800);
    expect(await page.locator('#article-view .paragraph').count()).toBe(index.getArticle(SEED_ID)!.paragraphs.length);

    // The article URL is bookmarkable: loading it fresh lands on the same paragraph.
    await page.reload();
    await page.waitForFunction((id) => document.activeElement?.id === id, `p${SEED_DISPLACED_PARAGRAPH}`);

    await page.click('#article-view .back-link');
    await waitForHits([SEED_ID, 'reuters-flood-relief', 'bbc-drought-farmers']);
    expect(await page.inputValue('#q')).toBe('displaced');
    expect(new URL(page.url()).searchParams.get('article')).toBeNull();
  });

  it('narrows by source, date and sort, and keeps the whole state in the URL through reload, back and forward', async () => {
    await page.goto(`${base}/?q=displaced`);
    await waitForHits([SEED_ID, 'reuters-flood-relief', 'bbc-drought-farmers']);
    const reuters = page.locator('#facets input[name="source"][value="Reuters"]');
    expect(await page.locator('#facets [data-facet="source"] label').allTextContents()).toEqual(
      expect.arrayContaining(['BBC1', 'CNN1', 'Reuters1']),
    );

    await reuters.check();
    await waitForHits(['reuters-flood-relief']);
    expect(new URL(page.url()).searchParams.getAll('source')).toEqual(['Reuters']);

    await page.locator('#facets input[name="source"][value="CNN"]').check();
    await waitForHits([SEED_ID, 'reuters-flood-relief']);
    expect(new URL(page.url()).searchParams.getAll('source')).toEqual(['Reuters', 'CNN']);

    await page.fill('#from', '2025-01-01');
    await waitForHits([SEED_ID]);
    expect(new URL(page.url()).searchParams.get('from')).toBe('2025-01-01');

    // Reload: the same state comes back from the URL alone.
    const filteredUrl = page.url();
    await page.reload();
    await waitForHits([SEED_ID]);
    expect(await page.inputValue('#q')).toBe('displaced');
    expect(await page.inputValue('#from')).toBe('2025-01-01');
    expect(await page.locator('#facets input[name="source"][value="CNN"]').isChecked()).toBe(true);

    // Back undoes one committed change at a time; Forward redoes it.
    await page.goBack();
    await waitForHits([SEED_ID, 'reuters-flood-relief']);
    expect(await page.inputValue('#from')).toBe('');
    await page.goBack();
    await waitForHits(['reuters-flood-relief']);
    await page.goBack();
    await waitForHits([SEED_ID, 'reuters-flood-relief', 'bbc-drought-farmers']);
    expect(await page.locator('#facets input[name="source"]:checked').count()).toBe(0);
    await page.goForward();
    await waitForHits(['reuters-flood-relief']);
    expect(await reuters.isChecked()).toBe(true);
    await page.goForward();
    await page.goForward();
    await waitForHits([SEED_ID]);
    expect(page.url()).toBe(filteredUrl);

    // Sort by date, oldest first, over an unfiltered query.
    await page.goto(`${base}/?q=displaced`);
    await waitForHits([SEED_ID, 'reuters-flood-relief', 'bbc-drought-farmers']);
    await page.selectOption('#sort', 'date:asc');
    await page.waitForFunction(() => new URLSearchParams(location.search).get('sort') === 'date:asc');
    await page.waitForFunction(
      (ids) =>
        [...document.querySelectorAll('#hits .hit-title a')]
          .map((a) => new URL((a as HTMLAnchorElement).href).searchParams.get('article'))
          .join() === ids.join(),
      ['bbc-drought-farmers', 'reuters-flood-relief', SEED_ID],
    );
  });

  it("renders the hostile article's markup as text: no script runs and no element from it exists", async () => {
    await page.goto(`${base}/?q=zebrafish`);
    await waitForHits(['hostile-article']);
    const title = await page.locator('#hits .hit-title').textContent();
    expect(title).toContain('<script>window.__pwned=1</script>');
    expect(title).toContain('<img src=x onerror="window.__pwned=1">');
    expect(await page.locator('#hits .meta').textContent()).toContain('<b>Evil</b> Wire');
    expect(await page.locator('#hits .snippet mark').first().textContent()).toBe('zebrafish');

    await page.click('#hits .hit-title a');
    await page.locator('#article-view .paragraph').first().waitFor();
    expect(await page.locator('#article-view .paragraph').first().textContent()).toContain(
      '<script>window.__pwned=1</script>',
    );
    // The `javascript:` URL in the data never becomes a link.
    expect(await page.locator('#article-view a.original-link').count()).toBe(0);

    await page.waitForTimeout(300); // give any injected handler a chance to fire
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    const injected = await page.evaluate(() => ({
      scripts: [...document.querySelectorAll('script')].filter((s) => !s.src.endsWith('/app.js')).length,
      inMain: document.querySelectorAll('#main script, #main img, #main b, #main i, #facets b, #facets img').length,
      images: document.querySelectorAll('img').length,
    }));
    expect(injected).toEqual({ scripts: 0, inMain: 0, images: 0 });
  });

  it('says the archive index is loading while the API answers 503, then shows the results by itself', async () => {
    served = null;
    await page.goto(`${base}/?q=displaced`);
    await page.waitForFunction(() =>
      document.getElementById('notice')?.textContent?.includes('The archive index is loading…'),
    );
    expect(await page.locator('#hits .hit').count()).toBe(0);
    served = index; // the index is ready: the next retry (every 1 s) finds it
    await waitForHits([SEED_ID, 'reuters-flood-relief', 'bbc-drought-farmers']);
    expect(await page.locator('#notice').isHidden()).toBe(true);
  });

  it("shows the API's message for an error and a clear state for no results", async () => {
    await page.goto(`${base}/?q=displaced&hitsPerPage=100&page=11`);
    // page × hitsPerPage beyond 1000 is outside what the UI reads from a URL: it falls back to page 1.
    await waitForHits([SEED_ID, 'reuters-flood-relief', 'bbc-drought-farmers']);

    await page.route(/\/search\?/, (route) =>
      route.fulfill({
        status: 400,
        contentType: 'application/json',
        body: JSON.stringify({
          message: '`sort` must be one of …, got `x`.',
          code: 'invalid_search_sort',
          type: 'invalid_request',
        }),
      }),
    );
    await page.fill('#q', 'anything');
    await page.waitForFunction(() =>
      document.getElementById('notice')?.textContent?.includes('`sort` must be one of …, got `x`.'),
    );
    expect(await page.getAttribute('#notice', 'role')).toBe('alert');
    await page.unroute(/\/search\?/);

    await page.fill('#q', 'qqqxxyyzz');
    await page.waitForFunction(() =>
      document.getElementById('empty')?.textContent?.includes('No articles match “qqqxxyyzz”.'),
    );
    expect(await page.textContent('#summary')).toBe('0 articles · 0 matching paragraphs');
  });

  it('completes the word being typed from the keyboard: arrows move, Enter chooses, Escape closes', async () => {
    await page.goto(`${base}/`);
    await page.locator('#hits .hit').first().waitFor();
    const input = page.locator('#q');
    await input.focus();
    await input.pressSequentially('flood harb', { delay: 20 });
    const option = page.locator('#suggestions [role="option"]', { hasText: 'harbour' });
    await option.waitFor();
    expect(await input.getAttribute('aria-expanded')).toBe('true');

    await page.keyboard.press('ArrowDown');
    const activeId = await input.getAttribute('aria-activedescendant');
    expect(activeId).toBeTruthy();
    expect(await page.getAttribute(`#${activeId}`, 'aria-selected')).toBe('true');
    expect(await page.textContent(`#${activeId} .suggestion-text`)).toBe('harbour');

    await page.keyboard.press('Enter');
    expect(await input.inputValue()).toBe('flood harbour ');
    expect(await input.getAttribute('aria-expanded')).toBe('false');
    await page.waitForFunction(() => new URLSearchParams(location.search).get('q') === 'flood harbour');
    await waitForHits(['reuters-flood-relief']);
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('q');

    // Escape closes the list and keeps what was typed.
    await input.pressSequentially('bri', { delay: 20 });
    await page.locator('#suggestions [role="option"]', { hasText: 'bridge' }).waitFor();
    await page.keyboard.press('Escape');
    expect(await page.locator('#suggestions').isHidden()).toBe(true);
    expect(await input.inputValue()).toBe('flood harbour bri');
  });

  it('can be used from the keyboard alone and fits a 375 px wide phone screen', async () => {
    await page.setViewportSize({ width: 375, height: 740 });
    await page.goto(`${base}/?q=displaced`);
    await waitForHits([SEED_ID, 'reuters-flood-relief', 'bbc-drought-farmers']);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

    // Tab from the search box reaches a result link, and Enter opens it.
    await page.focus('#q');
    let reached = false;
    for (let i = 0; i < 40 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.matches('#hits a.snippet') ?? false);
    }
    expect(reached).toBe(true);
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).not.toBe('none');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /^p\d+$/.test(document.activeElement?.id ?? ''));
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  });
});
