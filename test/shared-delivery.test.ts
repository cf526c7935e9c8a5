import { describe, expect, it } from 'vitest';
import { SHARED_DELIVERY_LOOPS, SharedDelivery } from '../src/alerts/shared-delivery.js';
import { DEFAULT_RETRY } from '../src/alerts/webhook-delivery.js';
import { NO_EXCEPTIONS } from '../src/alerts/webhook-target.js';
import type { PgAlerts } from '../src/store/pg-alerts.js';

/**
 * The delivery loops of the shared outbox, against a stand-in for the store
 * whose `deliverNext` answers when the test says so: the loops' stopping,
 * whatever each one is doing when `stop` is called.
 */

/** A store whose every `deliverNext` waits until `answer(found)`. */
function heldStore() {
  const waiting: ((found: boolean) => void)[] = [];
  const store = {
    deliverNext: () => new Promise<boolean>((resolve) => waiting.push(resolve)),
  } as unknown as PgAlerts;
  return {
    store,
    waiting,
    answer(found: boolean) {
      for (const resolve of waiting.splice(0)) resolve(found);
    },
  };
}

const within = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([
    promise.then(() => 'ended' as const),
    new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), ms)),
  ]);

describe('shared delivery loops', () => {
  it('stop ends every loop, also one whose claim was in flight when it was called and found nothing', async () => {
    const held = heldStore();
    const delivery = new SharedDelivery(held.store, {
      allow: NO_EXCEPTIONS,
      retry: DEFAULT_RETRY,
      deliver: async () => ({ ok: true, status: 204 }),
      onError: () => {},
    });
    delivery.start();
    // Every loop is in its first claim (as when `close` comes while the node looks for due events)...
    expect(held.waiting).toHaveLength(SHARED_DELIVERY_LOOPS);
    const stopped = delivery.stop();
    // ...and each claim ends after `stop` woke the sleepers, finding nothing due: no loop may go to sleep now.
    held.answer(false);
    expect(await within(stopped, 2_000)).toBe('ended');
  });

  it('stop ends a loop whose claim failed while it stopped', async () => {
    const waiting: ((error: Error) => void)[] = [];
    const store = {
      deliverNext: () => new Promise<boolean>((_resolve, reject) => waiting.push(reject)),
    } as unknown as PgAlerts;
    const delivery = new SharedDelivery(store, {
      allow: NO_EXCEPTIONS,
      retry: DEFAULT_RETRY,
      deliver: async () => ({ ok: true, status: 204 }),
      onError: () => {},
    });
    delivery.start();
    const stopped = delivery.stop();
    for (const reject of waiting.splice(0)) reject(new Error('the store went away'));
    expect(await within(stopped, 2_000)).toBe('ended');
  });
});
