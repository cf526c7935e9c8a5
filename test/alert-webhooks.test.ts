import { afterEach, describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { AlertService } from '../src/alerts/alert-service.js';
import type { Article } from '../src/corpus/article.js';
import { sendWebhook, signBody } from '../src/alerts/send-webhook.js';
import { checkWebhookUrl, NO_EXCEPTIONS, parseWebhookAllowList } from '../src/alerts/webhook-target.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const resolvingTo = (address: string) => async () => [{ address, family: address.includes(':') ? 6 : 4 }];

describe('webhook targets (server-side request forgery)', () => {
  it('refuses a host name that resolves to a loopback or private address, checked after resolution', async () => {
    await expect(checkWebhookUrl('https://hooks.example/x', NO_EXCEPTIONS, resolvingTo('127.0.0.1'))).rejects.toThrow(
      /rule: private_address/,
    );
    await expect(checkWebhookUrl('https://hooks.example/x', NO_EXCEPTIONS, resolvingTo('10.0.0.7'))).rejects.toThrow(
      /rule: private_address/,
    );
    await expect(checkWebhookUrl('https://hooks.example/x', NO_EXCEPTIONS, resolvingTo('fe80::1'))).rejects.toThrow(
      /rule: private_address/,
    );
  });

  it('returns the checked public address to connect to (pinned)', async () => {
    const target = await checkWebhookUrl('https://hooks.example/x', NO_EXCEPTIONS, resolvingTo('93.184.216.34'));
    expect(target).toMatchObject({ address: '93.184.216.34', family: 4 });
    expect(target.url.hostname).toBe('hooks.example');
  });

  it('lets ALERT_WEBHOOK_ALLOW allow a host name, an address or a CIDR range', async () => {
    const allow = parseWebhookAllowList('hooks.internal, 127.0.0.1, 10.20.0.0/16');
    await expect(checkWebhookUrl('http://hooks.internal/x', allow, resolvingTo('192.168.1.4'))).resolves.toBeTruthy();
    await expect(checkWebhookUrl('http://127.0.0.1:8080/x', allow)).resolves.toBeTruthy();
    await expect(checkWebhookUrl('http://10.20.3.4/x', allow)).resolves.toBeTruthy();
    await expect(checkWebhookUrl('http://10.21.3.4/x', allow)).rejects.toThrow(/private_address/);
    expect(() => parseWebhookAllowList('10.0.0.0/40')).toThrow(/ALERT_WEBHOOK_ALLOW/);
  });
});

/** A receiver on 127.0.0.1 answering `status` (and a `Location` for redirects); records requests. */
async function receiver(
  status = 200,
): Promise<{ url: string; got: { host: string; body: string; signature: string }[] }> {
  const got: { host: string; body: string; signature: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      got.push({ host: String(req.headers.host), body, signature: String(req.headers['x-signature']) });
      res.writeHead(status, status >= 300 && status < 400 ? { Location: 'http://127.0.0.1:1/elsewhere' } : {}).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, got };
}

describe('sending a webhook', () => {
  it('signs the raw body (X-Signature: sha256=<hex> HMAC) and connects to the pinned address, not the name', async () => {
    const r = await receiver();
    const port = new URL(r.url).port;
    const outcome = await sendWebhook(
      { url: new URL(`http://receiver.invalid:${port}/hook`), address: '127.0.0.1', family: 4 },
      '{"a":1}',
      'secret-0123456789abc',
      'ev_1',
    );
    expect(outcome).toEqual({ ok: true, status: 200 });
    expect(r.got[0]!.host).toBe(`receiver.invalid:${port}`);
    expect(r.got[0]!.signature).toBe(
      `sha256=${createHmac('sha256', 'secret-0123456789abc').update('{"a":1}').digest('hex')}`,
    );
    expect(signBody('{"a":1}', 'secret-0123456789abc')).toBe(r.got[0]!.signature);
  });

  it('does not follow a redirect: it is a failure', async () => {
    const r = await receiver(302);
    const outcome = await sendWebhook(
      { url: new URL(`${r.url}/hook`), address: '127.0.0.1', family: 4 },
      '{}',
      'secret-0123456789abc',
      'ev_1',
    );
    expect(outcome.ok).toBe(false);
    expect(r.got).toHaveLength(1);
  });
});

const article = (id: string, text: string): Article => ({
  id,
  title: text,
  date: null,
  authors: [],
  source: null,
  section: null,
  url: null,
  tags: [],
  paragraphs: [text],
  file: '(api)',
});

describe('the webhook outbox', () => {
  it("retries a failing receiver with growing waits, keeps each alert's events in order, and shows the state", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'nrs-outbox-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    let up = false;
    const sent: string[] = [];
    const attempts: number[] = [];
    const service = await AlertService.open({
      dir,
      retry: { firstDelayMs: 20, maxDelayMs: 80 },
      deliver: async (_url, body) => {
        attempts.push(Date.now());
        if (!up) return { ok: false, error: 'answered 503' };
        sent.push((JSON.parse(body) as { article: { articleId: string } }).article.articleId);
        return { ok: true, status: 200 };
      },
      allow: parseWebhookAllowList('127.0.0.1'),
    });
    cleanups.push(() => service.close());
    const alert = await service.create({
      name: 'f',
      query: { q: 'ferry', from: null, to: null, source: [], section: [], author: [], tag: [] },
      webhook: { url: 'http://127.0.0.1:9/h', secret: 'secret-0123456789abc' },
    });
    for (const id of ['a', 'b', 'c'])
      service.articlesChanged({ published: [article(id, `ferry ${id}`)], withdrawn: [], seq: null });
    await service.flushed();
    await expect.poll(() => attempts.length).toBeGreaterThanOrEqual(3);
    const state = service.deliveryOf(alert.id);
    expect(state).toMatchObject({ pending: 3, lastSuccess: null, lastError: 'answered 503' });
    expect(state.failures).toBeGreaterThanOrEqual(2);
    up = true;
    await expect.poll(() => sent).toEqual(['a', 'b', 'c']);
    expect(service.deliveryOf(alert.id)).toMatchObject({ pending: 0, failures: 0 });
    expect(service.stats().deliveries.success).toBe(3);
  });
});
