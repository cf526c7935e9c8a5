import { randomBytes } from 'node:crypto';
import type { Alert } from './alert.js';
import { checkAlertQuery } from './alert-matcher.js';
import type { AlertInput } from './alerts-api.js';
import { checkWebhookUrl, type WebhookAllowList } from './webhook-target.js';

/** `bytes` random bytes as hexadecimal: alert ids and feed tokens. */
export const randomHex = (bytes: number): string => randomBytes(bytes).toString('hex');

/**
 * A new alert from what a client sent, checked as every alert service checks it:
 * `invalid_alert_q` for a query that can never match, `invalid_alert_webhook` for a
 * refused target (see `webhook-target.ts`); a fresh id and feed token, created and
 * updated at `now` (ms). Whether the cap allows it is the caller's to say.
 */
export async function newAlert(input: AlertInput, allow: WebhookAllowList, now: number): Promise<Alert> {
  checkAlertQuery(input.query.q);
  if (input.webhook) await checkWebhookUrl(input.webhook.url, allow);
  const at = new Date(now).toISOString();
  return {
    id: `al_${randomHex(10)}`,
    name: input.name,
    query: input.query,
    webhook: input.webhook,
    paused: input.paused ?? false,
    feedToken: randomHex(16),
    createdAt: at,
    updatedAt: at,
  };
}
