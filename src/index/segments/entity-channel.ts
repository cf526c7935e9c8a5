/**
 * How a segment flush gets its articles' entities from a second worker thread
 * that extracts them while the flush inverts the text: a message port for the
 * entities and a shared flag the flush waits on (it runs synchronously, so it
 * cannot await a message). The flag is 0 until the entities are posted, 1 once
 * they are, 2 when their extraction failed (set by the helper or, if the
 * helper died, by the thread that started both).
 */
import { MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { ArticleEntities } from '../../analysis/extract-entities.js';

/** One end of an entity channel, as a worker task carries it. */
export interface EntityChannelEnd {
  port: MessagePort;
  /** One Int32 on a SharedArrayBuffer: 0 waiting, 1 posted, 2 failed. */
  flag: Int32Array;
}

const POSTED = 1;
const FAILED = 2;
/** How long one wait lasts before the flag is read again (ms); a wait ends at once when the flag changes. */
const WAIT_MS = 1000;

/** A new channel: the end that sends the entities, the end that receives them, and the shared flag. */
export function openEntityChannel(): { sender: EntityChannelEnd; receiver: EntityChannelEnd; flag: Int32Array } {
  const { port1, port2 } = new MessageChannel();
  const flag = new Int32Array(new SharedArrayBuffer(4));
  return { sender: { port: port1, flag }, receiver: { port: port2, flag }, flag };
}

/** Posts the entities of a flush's articles (in their order) and wakes the flush. */
export function sendEntities(end: EntityChannelEnd, entities: readonly ArticleEntities[]): void {
  end.port.postMessage(entities);
  Atomics.store(end.flag, 0, POSTED);
  Atomics.notify(end.flag, 0);
  end.port.close();
}

/** Tells the flush that the entities will not come (it then throws instead of waiting). */
export function failEntities(flag: Int32Array): void {
  if (Atomics.compareExchange(flag, 0, 0, FAILED) === 0) Atomics.notify(flag, 0);
}

/** Waits for the entities of the flush's articles; throws if their extraction failed. */
export function receiveEntities(end: EntityChannelEnd): ArticleEntities[] {
  for (;;) {
    const received = receiveMessageOnPort(end.port);
    if (received) {
      end.port.close();
      return received.message as ArticleEntities[];
    }
    if (Atomics.load(end.flag, 0) === FAILED) {
      end.port.close();
      throw new Error('entity extraction failed in its worker thread');
    }
    Atomics.wait(end.flag, 0, 0, WAIT_MS);
  }
}
