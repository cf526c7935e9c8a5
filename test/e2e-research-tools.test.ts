/**
 * The research tools of the search page in Chromium: the advanced-search form
 * (it writes the query typing would), the timeline of hits per month (a bar
 * filters to its month, by mouse or keyboard), the export link, the tag facet,
 * and related articles under an open article.
 */
import { describe, expect, it } from 'vitest';
import { buildIndex } from '../src/index/index-writer.js';
import {
  HAVE_CHROMIUM,
  loadArticles,
  useUiPage,
  waitForHitIds,
  warnWithoutChromium,
} from './fixtures/browser/ui-harness.js';

warnWithoutChromium();

describe.skipIf(!HAVE_CHROMIUM)('research tools of the search page in Chromium', () => {
  const index = buildIndex(loadArticles());
  const ui = useUiPage(() => index, { width: 1280, height: 900 });
  const base = () => ui.base;

  const searchParam = (name: string) => new URL(ui.page.url()).searchParams.get(name);

  const waitForHits = (ids: string[]) => waitForHitIds(ui.page, ids);

  it('writes the advanced form as the query typing would: same q in the box and the URL, dates as filters', async () => {
    await ui.page.goto(`${base()}/`);
    await ui.page.locator('#hits .hit').first().waitFor();
    await ui.page.click('#advanced summary');
    await ui.page.fill('#adv-all', 'relief');
    await ui.page.fill('#adv-phrase', 'river towns');
    await ui.page.fill('#adv-near-a', 'aid');
    await ui.page.fill('#adv-near-distance', '8');
    await ui.page.fill('#adv-near-b', 'convoys');
    await ui.page.fill('#adv-any', 'floods rain');
    await ui.page.fill('#adv-none', 'drought');
    await ui.page.fill('#adv-title', 'relief');
    await ui.page.fill('#adv-author', 'Ana Costa');
    await ui.page.fill('#adv-section', 'world');
    await ui.page.fill('#adv-from', '2024-01-01');
    const expected =
      'relief "river towns" aid NEAR/8 convoys (floods OR rain) -drought title:relief author:"ana costa" section:world';
    expect((await ui.page.textContent('#adv-preview'))?.toLowerCase()).toBe(expected.toLowerCase());
    await ui.page.click('#advanced-form button[type="submit"]');
    await ui.page.waitForFunction(() => new URLSearchParams(location.search).has('q'));
    expect(searchParam('q')).toBe(
      'relief "river towns" aid NEAR/8 convoys (floods OR rain) -drought title:relief author:"Ana Costa" section:world',
    );
    expect(searchParam('from')).toBe('2024-01-01');
    expect(await ui.page.inputValue('#q')).toBe(searchParam('q'));
    // Typing the same query gives the same URL.
    const formUrl = ui.page.url();
    await ui.page.goto(`${base()}/`);
    await ui.page.locator('#hits .hit').first().waitFor();
    const q = new URL(formUrl).searchParams.get('q') ?? '';
    await ui.page.fill('#q', q);
    await ui.page.keyboard.press('Enter');
    await ui.page.waitForFunction((typed) => new URLSearchParams(location.search).get('q') === typed, q, {
      timeout: 5000,
    });
    await ui.page.fill('#from', '2024-01-01');
    await ui.page.waitForFunction((url) => location.href === url, formUrl, { timeout: 5000 });
  });

  it('draws hits per month as bars; a bar (clicked, or reached with Tab and Enter) filters to its month', async () => {
    await ui.page.goto(`${base()}/?q=displaced`);
    await waitForHits(['haiti-soldiers-mexico-training', 'reuters-flood-relief', 'bbc-drought-farmers']);
    const bars = ui.page.locator('#timeline svg a');
    await bars.first().waitFor();
    // 2023-08, 2024-03 and 2025-07 have a hit each: three links among 24 monthly bars.
    expect(await bars.evaluateAll((links) => links.map((a) => a.getAttribute('aria-label')))).toEqual([
      'August 2023: 1 article',
      'March 2024: 1 article',
      'July 2025: 1 article',
    ]);
    expect(await ui.page.locator('#timeline svg rect.bar').count()).toBe(24);
    expect(await ui.page.locator('#timeline svg a title').first().textContent()).toBe('August 2023: 1 article');
    expect(await ui.page.locator('#timeline table tbody tr').count()).toBe(3);

    await ui.page.locator('#timeline svg a[data-period="2024-03"]').click();
    await waitForHits(['reuters-flood-relief']);
    expect(searchParam('from')).toBe('2024-03-01');
    expect(searchParam('to')).toBe('2024-03-31');
    expect(await ui.page.inputValue('#from')).toBe('2024-03-01');

    // From the keyboard: Tab to a bar, Enter.
    await ui.page.goBack();
    await waitForHits(['haiti-soldiers-mexico-training', 'reuters-flood-relief', 'bbc-drought-farmers']);
    await ui.page.focus('#q');
    let reached = false;
    for (let i = 0; i < 60 && !reached; i++) {
      await ui.page.keyboard.press('Tab');
      reached = await ui.page.evaluate(() => document.activeElement?.getAttribute('data-period') === '2023-08');
    }
    expect(reached).toBe(true);
    await ui.page.keyboard.press('Enter');
    await waitForHits(['bbc-drought-farmers']);
    expect(searchParam('to')).toBe('2023-08-31');
    // Up to 60 key presses and four searches in Chromium: about a second alone, past 30 s on a machine shared by several test runs.
  }, 60_000);

  it('links the export of the current search, and lists tags as a facet', async () => {
    await ui.page.goto(`${base()}/?q=displaced&source=Reuters`);
    await waitForHits(['reuters-flood-relief']);
    expect(await ui.page.getAttribute('#export-link', 'href')).toBe(
      '/search/export?q=displaced&source=Reuters&format=csv',
    );
    const csv = await ui.page.evaluate(async () =>
      (await fetch((document.getElementById('export-link') as HTMLAnchorElement).href)).text(),
    );
    expect(csv.split('\r\n')[1]).toMatch(/^reuters-flood-relief,/);

    await ui.page.goto(`${base()}/?q=floods`);
    const tag = ui.page.locator('#facets input[name="tag"][value="floods"]');
    await tag.waitFor();
    await tag.check();
    await ui.page.waitForFunction(() => new URLSearchParams(location.search).getAll('tag').join() === 'floods');
  });

  it('shows related articles under an open article, and opens one', async () => {
    await ui.page.goto(`${base()}/?article=reuters-flood-relief`);
    const related = ui.page.locator('#article-view .related a.related-link');
    await related.first().waitFor();
    expect(await related.first().textContent()).toBe('River towns count the cost of the floods');
    expect(
      await ui.page.locator('#article-view .related-link', { hasText: 'Flood relief reaches river towns' }).count(),
    ).toBe(0);
    await related.first().click();
    await ui.page.waitForFunction(
      () => new URLSearchParams(location.search).get('article') === 'reuters-river-towns-recovery',
    );
    await ui.page.locator('#article-view .related a.related-link').first().waitFor();
    expect(await ui.page.locator('#article-view .related a.related-link').first().textContent()).toBe(
      'Flood relief reaches river towns after weeks of rain',
    );
  });
});
