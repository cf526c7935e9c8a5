import { performance } from 'node:perf_hooks';
import { SearchError } from '../errors.js';

/** Why a request was turned away: the queue was full, or it waited too long in it. */
export type RejectReason = 'queue_full' | 'queue_wait';

/** Options of {@link Admission}. */
export interface AdmissionOptions {
  /** Most requests waiting at once (1–10,000); one more is rejected at once. */
  maxQueue: number;
  /** Most milliseconds a request may wait before it runs; past it, it is rejected. */
  maxWaitMs: number;
  /** Called on each rejection (for metrics). */
  onReject?: (reason: RejectReason) => void;
  /** Milliseconds of tasks run in one turn of the event loop before sockets are read again; default 10. */
  sliceMs?: number;
}

/**
 * A `SearchError('overloaded')` made without a stack trace: rejections come by
 * the thousand under a flood, and capturing a stack is most of their cost.
 */
function overloaded(message: string): SearchError {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new SearchError('overloaded', message);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

interface Task {
  work: () => unknown;
  abandoned: () => boolean;
  queuedAt: number;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Admission control for costly, synchronous work (searches, highlighted articles):
 * a bounded FIFO queue drained a slice of time per turn of the event loop (tasks
 * run until `sliceMs` is spent, at least one), so that the loop reads sockets
 * between two slices and cheap routes (`/health`, `/metrics`) answer within about
 * one slice or one costly task, however many requests wait. When the
 * queue is full a request is rejected at once with `SearchError('overloaded')`
 * (503 and `Retry-After`), as search engines' thread pools reject work past
 * their queue, instead of letting the queue, and every client's wait, grow.
 */
export class Admission {
  private readonly queue: Task[] = [];
  private head = 0;
  private scheduled = false;
  private runningCount = 0;

  constructor(private readonly options: AdmissionOptions) {}

  /** Tasks waiting now. */
  get queued(): number {
    return this.queue.length - this.head;
  }

  /** Tasks running now (0 or 1: the work is synchronous). */
  get running(): number {
    return this.runningCount;
  }

  /**
   * Queues `work` and resolves with its result once it has run; rejects with
   * `SearchError('overloaded')` when the queue is full or the wait exceeds
   * `maxWaitMs`, and with `SearchError('client_closed')` (nothing is run) when
   * `abandoned()` says the client went away while it waited.
   */
  run<T>(work: () => T, abandoned: () => boolean = () => false): Promise<T> {
    if (this.queued >= this.options.maxQueue) {
      this.options.onReject?.('queue_full');
      return Promise.reject(
        overloaded(`The service is busy: ${this.options.maxQueue} searches are already waiting. Retry shortly.`),
      );
    }
    return new Promise<T>((resolve, reject) => {
      this.queue.push({
        work,
        abandoned,
        queuedAt: performance.now(),
        resolve: resolve as (value: unknown) => void,
        reject,
      });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.queued === 0) return;
    this.scheduled = true;
    // setImmediate, not a microtask: I/O is polled before the next task runs.
    setImmediate(() => {
      this.scheduled = false;
      const started = performance.now();
      const slice = this.options.sliceMs ?? 10;
      do this.runNext();
      while (this.queued > 0 && performance.now() - started < slice);
      this.schedule();
    });
  }

  private take(): Task | undefined {
    const task = this.queue[this.head];
    if (!task) return undefined;
    this.queue[this.head++] = undefined as unknown as Task;
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    return task;
  }

  /** Runs the first task still worth running; those ahead of it (client gone, waited too long) are rejected in the same turn, as they cost nothing. */
  private runNext(): void {
    let task: Task | undefined;
    while ((task = this.take())) {
      if (task.abandoned()) {
        task.reject(new SearchError('client_closed', 'The client closed the connection before its request ran.'));
        continue;
      }
      const waited = performance.now() - task.queuedAt;
      if (waited > this.options.maxWaitMs) {
        this.options.onReject?.('queue_wait');
        task.reject(
          overloaded(`The service is busy: the request waited ${Math.round(waited)} ms for its turn. Retry shortly.`),
        );
        continue;
      }
      break;
    }
    if (!task) return;
    this.runningCount++;
    try {
      task.resolve(task.work());
    } catch (error) {
      task.reject(error);
    } finally {
      this.runningCount--;
    }
  }
}
