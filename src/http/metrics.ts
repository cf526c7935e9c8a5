import type { RequestHandler } from 'express';
import type { StoreLag } from '../store/store-mirror.js';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ArchiveIndex } from '../index/archive-index.js';
import type { CacheStats } from '../query/cached-search.js';
import type { Admission, RejectReason } from './admission.js';
import type { AlertStats } from '../alerts/alert-service.js';

/** Seconds: from 1 ms to 10 s, for request and search durations. */
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** What the metrics read when scraped. */
export interface MetricsSources {
  /** The living archive's state: the last journal change applied, and the articles held unpublished. */
  writes?: () => { appliedSeq: number; unpublished: number } | null;
  getIndex: () => ArchiveIndex | null;
  cacheStats?: () => CacheStats;
  admission?: Admission;
  /** With an article store: this node's distance to it (see `StoreLag`). */
  storeLag?: () => StoreLag | null;
  /** Saved searches: counts of alerts, events and deliveries (null while they open). */
  alerts?: () => AlertStats | null;
  /** Stray errors the process survived so far (see `recordStrayError`). */
  strayErrors?: () => number;
}

/** The service's metrics and the hooks that feed them. */
export interface ServiceMetrics {
  registry: Registry;
  /** Counts a request and its duration (seconds) by route label, method and status. */
  observeRequest: (route: string, method: string, status: number, seconds: number) => void;
  /** Records the time (seconds) a search ran, queue wait excluded. */
  observeSearch: (seconds: number) => void;
  /** Counts a request turned away by admission control. */
  observeRejection: (reason: RejectReason) => void;
  /** `GET /metrics`: the registry in Prometheus text format. */
  handler: RequestHandler;
}

/**
 * A fresh registry (not prom-client's global one, so apps in tests stay apart)
 * with Node's default process metrics (`process_resident_memory_bytes`,
 * `nodejs_heap_size_used_bytes`, `nodejs_eventloop_lag_seconds`, …, prefixed
 * `newsroom_search_`), HTTP request counts and durations, search durations,
 * admission (`…_searches_running`, `…_searches_queued`, `…_requests_rejected_total`),
 * query cache counters, and the index's size and age.
 */
export function createMetrics(sources: MetricsSources): ServiceMetrics {
  const registry = new Registry();
  const prefix = 'newsroom_search_';
  collectDefaultMetrics({ register: registry, prefix, eventLoopMonitoringPrecision: 20 });
  const requests = new Counter({
    name: `${prefix}http_requests_total`,
    help: 'HTTP requests answered, by route, method and status.',
    labelNames: ['route', 'method', 'status'],
    registers: [registry],
  });
  const requestSeconds = new Histogram({
    name: `${prefix}http_request_duration_seconds`,
    help: 'Time from a request to its response, queue wait included.',
    labelNames: ['route', 'status'],
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const searchSeconds = new Histogram({
    name: `${prefix}search_duration_seconds`,
    help: 'Time a search ran on the event loop (queue wait excluded).',
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const rejected = new Counter({
    name: `${prefix}requests_rejected_total`,
    help: 'Requests answered 503 by admission control: queue full, or waited too long.',
    labelNames: ['reason'],
    registers: [registry],
  });
  new Gauge({
    name: `${prefix}searches_running`,
    help: 'Searches running now.',
    registers: [registry],
    collect() {
      this.set(sources.admission?.running ?? 0);
    },
  });
  new Gauge({
    name: `${prefix}searches_queued`,
    help: 'Searches waiting for their turn now.',
    registers: [registry],
    collect() {
      this.set(sources.admission?.queued ?? 0);
    },
  });

  const cache = () => sources.cacheStats?.() ?? { hits: 0, misses: 0, entries: 0, bytes: 0 };
  let countedHits = 0;
  let countedMisses = 0;
  new Counter({
    name: `${prefix}query_cache_hits_total`,
    help: 'Searches answered from the query cache.',
    registers: [registry],
    collect() {
      const now = cache().hits;
      this.inc(Math.max(0, now - countedHits));
      countedHits = now;
    },
  });
  new Counter({
    name: `${prefix}query_cache_misses_total`,
    help: 'Searches the query cache could not answer.',
    registers: [registry],
    collect() {
      const now = cache().misses;
      this.inc(Math.max(0, now - countedMisses));
      countedMisses = now;
    },
  });
  new Gauge({
    name: `${prefix}query_cache_entries`,
    help: 'Responses in the query cache.',
    registers: [registry],
    collect() {
      this.set(cache().entries);
    },
  });
  new Gauge({
    name: `${prefix}query_cache_bytes`,
    help: 'Estimated heap held by the query cache, in bytes.',
    registers: [registry],
    collect() {
      this.set(cache().bytes);
    },
  });

  new Gauge({
    name: `${prefix}index_articles`,
    help: 'Articles in the index (0 while it loads).',
    registers: [registry],
    collect() {
      this.set(sources.getIndex()?.articleCount ?? 0);
    },
  });
  new Gauge({
    name: `${prefix}index_paragraphs`,
    help: 'Paragraphs in the index (0 while it loads).',
    registers: [registry],
    collect() {
      this.set(sources.getIndex()?.paragraphCount ?? 0);
    },
  });
  new Gauge({
    name: `${prefix}journal_applied_seq`,
    help: 'Number of the last change of the journal of writes applied to the index.',
    registers: [registry],
    collect() {
      this.set(sources.writes?.()?.appliedSeq ?? 0);
    },
  });
  new Gauge({
    name: `${prefix}unpublished_articles`,
    help: 'Drafts and embargoed articles held out of the index.',
    registers: [registry],
    collect() {
      this.set(sources.writes?.()?.unpublished ?? 0);
    },
  });
  let seen: { index: ArchiveIndex; generation: number; at: number } | null = null;
  new Gauge({
    name: `${prefix}index_age_seconds`,
    help: 'Seconds since the index was loaded or last changed (0 while it loads).',
    registers: [registry],
    collect() {
      const index = sources.getIndex();
      if (index === null) return this.set(0);
      if (!seen || seen.index !== index || seen.generation !== index.generation)
        seen = { index, generation: index.generation, at: Date.now() };
      this.set((Date.now() - seen.at) / 1000);
    },
  });
  if (sources.storeLag) {
    const lag = sources.storeLag;
    new Gauge({
      name: `${prefix}store_lag_seconds`,
      help: 'Seconds since this node last held every change of the article store (-1: never yet).',
      registers: [registry],
      collect() {
        const l = lag();
        this.set(l?.lagSeconds ?? -1);
      },
    });
    new Gauge({
      name: `${prefix}store_seq_applied`,
      help: 'Number of the last article-store change this node applied.',
      registers: [registry],
      collect() {
        this.set(lag()?.applied ?? 0);
      },
    });
    new Gauge({
      name: `${prefix}store_seq`,
      help: 'Number of the last change the article store had when last asked.',
      registers: [registry],
      collect() {
        this.set(lag()?.store ?? 0);
      },
    });
    new Gauge({
      name: `${prefix}store_connected`,
      help: '1 when the last query to the article store succeeded.',
      registers: [registry],
      collect() {
        this.set(lag()?.connected ? 1 : 0);
      },
    });
  }

  if (sources.alerts) registerAlertMetrics(registry, prefix, sources.alerts);
  let countedStray = 0;
  new Counter({
    name: `${prefix}stray_errors_total`,
    help: "Errors that reached the process's last resort and were survived (a lost store connection nobody listened to); any other is fatal.",
    registers: [registry],
    collect() {
      const now = sources.strayErrors?.() ?? 0;
      this.inc(Math.max(0, now - countedStray));
      countedStray = now;
    },
  });

  // One labelled child per (route, method, status), looked up by a string key: prom-client would check and
  // hash the labels on every request otherwise. The labels are few and fixed (see `routeOf`).
  const children = new Map<string, { count: { inc: () => void }; time: { observe: (seconds: number) => void } }>();
  return {
    registry,
    observeRequest: (route, method, status, seconds) => {
      const key = `${route} ${method} ${status}`;
      let child = children.get(key);
      if (!child) {
        child = {
          count: requests.labels({ route, method, status: String(status) }),
          time: requestSeconds.labels({ route, status: String(status) }),
        };
        children.set(key, child);
      }
      child.count.inc();
      child.time.observe(seconds);
    },
    observeSearch: (seconds) => searchSeconds.observe(seconds),
    observeRejection: (reason) => rejected.inc({ reason }),
    handler: async (_req, res) => {
      res.set('Content-Type', registry.contentType);
      res.set('Cache-Control', 'no-store');
      res.send(await registry.metrics());
    },
  };
}

/**
 * The alerts' metrics: `…_alerts` (saved searches), `…_alert_events_total{type}`
 * (match, update, retract), `…_alert_deliveries_total{outcome}` (success, failure,
 * abandoned), `…_alert_queue_events` and `…_alert_queue_age_seconds` (the oldest
 * undelivered event), and the time spent matching (`…_alert_match_seconds_total`
 * over `…_alert_matched_articles_total`).
 */
function registerAlertMetrics(registry: Registry, prefix: string, stats: () => AlertStats | null): void {
  const counted = new Map<string, number>();
  /** Feeds a counter from a cumulative number (never backwards). */
  const advance = (counter: Counter, key: string, now: number, labels?: Record<string, string>) => {
    const before = counted.get(key) ?? 0;
    if (now > before) labels ? counter.inc(labels, now - before) : counter.inc(now - before);
    counted.set(key, Math.max(before, now));
  };
  new Gauge({
    name: `${prefix}alerts`,
    help: 'Saved searches (alerts).',
    registers: [registry],
    collect() {
      this.set(stats()?.alerts ?? 0);
    },
  });
  new Counter({
    name: `${prefix}alert_events_total`,
    help: 'Alert events made, by type: match (a new article matched), update (a matched article changed), retract (it no longer matches or was taken down).',
    labelNames: ['type'],
    registers: [registry],
    collect() {
      const s = stats();
      if (s)
        for (const [type, n] of Object.entries(s.events))
          advance(this, `event:${type}`, n, { type: type.replace('alert.', '') });
    },
  });
  new Counter({
    name: `${prefix}alert_deliveries_total`,
    help: 'Webhook delivery attempts, by outcome: success, failure (retried later), abandoned (given up after the retry period).',
    labelNames: ['outcome'],
    registers: [registry],
    collect() {
      const s = stats();
      if (s)
        for (const [outcome, n] of Object.entries(s.deliveries)) advance(this, `delivery:${outcome}`, n, { outcome });
    },
  });
  new Gauge({
    name: `${prefix}alert_queue_events`,
    help: 'Webhook events not yet delivered.',
    registers: [registry],
    collect() {
      this.set(stats()?.queued ?? 0);
    },
  });
  new Gauge({
    name: `${prefix}alert_queue_age_seconds`,
    help: 'Age of the oldest webhook event not yet delivered (0: none waits).',
    registers: [registry],
    collect() {
      this.set(stats()?.queueAgeSeconds ?? 0);
    },
  });
  new Counter({
    name: `${prefix}alert_match_seconds_total`,
    help: 'Time spent matching articles against the saved searches.',
    registers: [registry],
    collect() {
      advance(this, 'matchSeconds', stats()?.matchSeconds ?? 0);
    },
  });
  new Counter({
    name: `${prefix}alert_matched_articles_total`,
    help: 'Articles matched against the saved searches.',
    registers: [registry],
    collect() {
      advance(this, 'matchedArticles', stats()?.matchedArticles ?? 0);
    },
  });
}
