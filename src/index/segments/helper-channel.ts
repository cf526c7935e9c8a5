/**
 * How a segment flush gets work done for it by a helper worker thread running
 * beside it (the second half of its paragraphs inverted, its articles' entities):
 * a message port, and a shared counter the flush waits on, since it runs
 * synchronously and cannot await a message. The counter holds how many messages
 * the helper has posted, or -1 once the helper failed (set by the helper or, if
 * it died, by the thread that started both).
 */
import { MessageChannel, receiveMessageOnPort, type MessagePort, type TransferListItem } from 'node:worker_threads';

/** One end of a helper channel, as a worker task carries it. */
export interface HelperChannelEnd {
  port: MessagePort;
  /** One Int32 on a SharedArrayBuffer: messages posted so far, or -1 when the helper failed. */
  posted: Int32Array;
}

const FAILED = -1;
/** How long one wait lasts before the counter is read again (ms); a wait ends at once when it changes. */
const WAIT_MS = 1000;

/** A new channel: the helper's end, the flush's end, and their shared counter. */
export function openHelperChannel(): { helper: HelperChannelEnd; flush: HelperChannelEnd; posted: Int32Array } {
  const { port1, port2 } = new MessageChannel();
  const posted = new Int32Array(new SharedArrayBuffer(4));
  return { helper: { port: port1, posted }, flush: { port: port2, posted }, posted };
}

/** Posts the next piece of work to the flush (`transfer`: buffers moved, not copied) and wakes it. */
export function postToFlush(end: HelperChannelEnd, value: unknown, transfer: readonly TransferListItem[] = []): void {
  end.port.postMessage(value, transfer);
  Atomics.add(end.posted, 0, 1);
  Atomics.notify(end.posted, 0);
}

/** Tells the flush that no more work will come (it then throws instead of waiting). */
export function failHelper(posted: Int32Array): void {
  Atomics.store(posted, 0, FAILED);
  Atomics.notify(posted, 0);
}

/** Waits for the helper's next piece of work, in the order it was posted; throws if the helper failed. */
export function receiveFromHelper<T>(end: HelperChannelEnd): T {
  for (;;) {
    const received = receiveMessageOnPort(end.port);
    if (received) return received.message as T;
    const posted = Atomics.load(end.posted, 0);
    if (posted === FAILED) {
      end.port.close();
      throw new Error('the helper thread of this segment flush failed');
    }
    Atomics.wait(end.posted, 0, posted, WAIT_MS);
  }
}
