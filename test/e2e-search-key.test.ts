import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { createApp } from '../src/http/create-app.js';
import { buildIndex } from '../src/index/index-writer.js';
import {
  HAVE_CHROMIUM,
  launchChromium,
  loadArticles,
  ROOT,
  warnWithoutChromium,
} from './fixtures/browser/ui-harness.js';

/** The search page of an archive behind `SEARCH_API_KEY`: it asks for the key once and sends it with every call. */
const KEY = 'page-search-key-0123456789';
warnWithoutChromium();

describe.skipIf(!HAVE_CHROMIUM)('the search page with a search key', () => {
  let server: Server;
  let base: string;
  let browser: Browser;
  beforeAll(async () => {
    const index = buildIndex(loadArticles());
    const app = createApp({
      getIndex: () => index,
      publicDir: join(ROOT, 'public'),
      keys: { admin: null, search: KEY },
    });
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('asks for the key once, then searches with it', async () => {
    const page = await browser.newPage();
    const prompts: string[] = [];
    page.on('dialog', (dialog) => {
      prompts.push(dialog.message());
      void dialog.accept(KEY);
    });
    await page.goto(`${base}/?q=displaced`);
    await expect.poll(async () => page.locator('#hits li').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(prompts).toHaveLength(1);
    expect(prompts[0]).toMatch(/search key/);
    // A second search in the same tab does not ask again.
    await page.fill('#q', 'haiti');
    await page.press('#q', 'Enter');
    await expect.poll(async () => page.url()).toContain('q=haiti');
    await expect.poll(async () => page.locator('#hits li').count()).toBeGreaterThan(0);
    expect(prompts).toHaveLength(1);
    await page.close();
  });
});
