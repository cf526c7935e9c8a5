import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { ADMIN_KEY, alertsApp, SEARCH_KEY, type AlertsApp } from './helpers/alerts-app.js';
import { HAVE_CHROMIUM, launchChromium, ROOT, warnWithoutChromium } from './fixtures/browser/ui-harness.js';

/** "Follow this search" and "My alerts" in the page of an archive behind a search key. */
warnWithoutChromium();

describe.skipIf(!HAVE_CHROMIUM)('saved searches in the search page', () => {
  let service: AlertsApp;
  let server: Server;
  let base: string;
  let browser: Browser;
  beforeAll(async () => {
    service = await alertsApp({ searchKey: true, publicDir: join(ROOT, 'public') });
    server = await new Promise<Server>((resolve) => {
      const s = service.app.listen(0, '127.0.0.1', () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    await service?.close();
    await service?.remove();
  });

  it('follows the current search, shows its feed link, and lists the alert with its latest match', async () => {
    const page = await browser.newPage();
    page.on('dialog', (dialog) => void dialog.accept(SEARCH_KEY));
    await page.goto(`${base}/?q=ferry`);
    await page.click('#follow-search');
    await expect.poll(async () => page.textContent('#alert-status'), { timeout: 10_000 }).toContain('Following');
    const feed = await page.getAttribute('#alert-status a', 'href');
    expect(feed).toMatch(/^\/alerts\/al_[0-9a-f]+\/feed\?token=/);
    const put = await fetch(`${base}/articles/ferry-1`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ title: 'Ferry <capsizes>', body: 'A ferry capsized near Mwanza.' }),
    });
    expect(put.status).toBe(201);
    await page.click('#my-alerts summary'); // close
    await page.click('#my-alerts summary'); // open: the list is read again
    await expect.poll(async () => page.textContent('#alert-list'), { timeout: 10_000 }).toContain('Ferry <capsizes>');
    expect(await page.innerHTML('#alert-list .snippet')).toBe('A <mark>ferry</mark> capsized near Mwanza.');
    await page.close();
  }, 60_000);
});
