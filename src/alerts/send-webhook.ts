import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { CheckedTarget } from './webhook-target.js';

/** Longest a webhook request may take, connection included (ms). */
export const WEBHOOK_TIMEOUT_MS = 10_000;

/** `sha256=<hex>`: the HMAC-SHA256 of the raw body with the alert's secret, as the `X-Signature` header carries it. */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** How a delivery went: `ok` for a 2xx answer; otherwise why not. */
export type SendOutcome = { ok: true; status: number } | { ok: false; error: string };

/**
 * POSTs `body` (JSON) to a checked webhook target, signed with `secret`
 * (`X-Signature`), connecting to the checked address only (the host name still
 * goes in `Host` and, for https, in the TLS server name, so certificates are
 * checked as usual). A redirect is not followed: it counts as a failure, like
 * any answer but 2xx, a timeout ({@link WEBHOOK_TIMEOUT_MS}) or a network error.
 */
export function sendWebhook(
  target: CheckedTarget,
  body: string,
  secret: string,
  eventId: string,
): Promise<SendOutcome> {
  const pinned: LookupFunction = (_host, options, callback) => {
    if ((options as { all?: boolean }).all)
      (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [
        { address: target.address, family: target.family },
      ]);
    else callback(null, target.address, target.family);
  };
  const client = target.url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    const request = client.request(
      target.url,
      {
        method: 'POST',
        lookup: pinned,
        timeout: WEBHOOK_TIMEOUT_MS,
        headers: {
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(body),
          'User-Agent': 'newsroom-search-alerts',
          'X-Signature': signBody(body, secret),
          'X-Event-Id': eventId,
        },
      },
      (response) => {
        response.resume();
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve({ ok: true, status });
          else if (status >= 300 && status < 400)
            resolve({ ok: false, error: `answered ${status} (a redirect; not followed)` });
          else resolve({ ok: false, error: `answered ${status}` });
        });
        response.on('error', (error) => resolve({ ok: false, error: error.message }));
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer within ${WEBHOOK_TIMEOUT_MS / 1000} s`)));
    request.on('error', (error: NodeJS.ErrnoException) => resolve({ ok: false, error: error.code ?? error.message }));
    request.end(body);
  });
}
