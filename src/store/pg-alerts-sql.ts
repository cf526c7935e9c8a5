// The SQL of the shared alerts (`pg-alerts.ts`): their tables, the outbox's pruning, the advisory locks.

/** Advisory lock key of every change of the `alerts` table and of schema creation. */
export const ALERTS_LOCK = 7_215_024;
/** Advisory lock key of the outbox's pruning (one node at a time; the others skip their turn). */
export const PRUNE_LOCK = 7_215_025;
/** Most entries a feed shows (the newest by last change). */
export const FEED_LIMIT = 100;

/** The tables of the shared alerts and their outbox, created when missing (`PgAlerts.prepare`). */
export const SCHEMA = `
CREATE TABLE IF NOT EXISTS alerts (id text PRIMARY KEY, alert jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE IF NOT EXISTS alert_version (one boolean PRIMARY KEY DEFAULT true CHECK (one), n bigint NOT NULL);
INSERT INTO alert_version (one, n) VALUES (true, 0) ON CONFLICT DO NOTHING;
CREATE TABLE IF NOT EXISTS alert_progress (one boolean PRIMARY KEY DEFAULT true CHECK (one), seq bigint NOT NULL);
CREATE TABLE IF NOT EXISTS alert_events (
  seq bigserial UNIQUE,
  alert_id text NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
  article_id text NOT NULL,
  change_seq bigint NOT NULL,
  event jsonb NOT NULL,
  entry jsonb,
  state text NOT NULL CHECK (state IN ('none', 'pending', 'sent', 'abandoned')),
  failures integer NOT NULL DEFAULT 0,
  last_error text,
  next_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (alert_id, article_id, change_seq)
);
CREATE INDEX IF NOT EXISTS alert_events_pending ON alert_events (alert_id, seq) WHERE state = 'pending';
CREATE INDEX IF NOT EXISTS alert_events_article ON alert_events (article_id, change_seq);
CREATE INDEX IF NOT EXISTS alert_events_done ON alert_events (created_at) WHERE state <> 'pending';
CREATE TABLE IF NOT EXISTS alert_pruned (one boolean PRIMARY KEY DEFAULT true CHECK (one), seq bigint NOT NULL);
CREATE TABLE IF NOT EXISTS alert_last_success (
  alert_id text PRIMARY KEY REFERENCES alerts (id) ON DELETE CASCADE,
  at timestamptz NOT NULL
);`;

/**
 * The events `prune` deletes ($1: the retention in ms; $2: the change up to
 * which every change was matched), keeping the last success of each alert
 * whose sent events go; answers how many went. Only events done (sent, given
 * up, or never queued), made before the retention period, of matched
 * changes; of those, the ones no feed needs: an event a later one of the
 * same alert and article replaced, and, when no event of the article waits,
 * the article's last event if it took the article out of the feed (a
 * retraction) or if the feed no longer shows it (past its newest ${FEED_LIMIT}).
 */
export const PRUNE = `
WITH cutoff AS (SELECT now() - $1::float8 * interval '1 millisecond' AS at),
old AS (
  SELECT DISTINCT e.alert_id, e.article_id FROM alert_events e CROSS JOIN cutoff
  WHERE e.state <> 'pending' AND e.created_at < cutoff.at AND e.change_seq <= $2
),
grouped AS (
  SELECT e.seq, e.alert_id, e.state, e.entry, e.created_at, e.change_seq, e.sent_at,
    row_number() OVER (PARTITION BY e.alert_id, e.article_id ORDER BY e.change_seq DESC, e.seq DESC) AS nth,
    bool_or(e.state = 'pending') OVER (PARTITION BY e.alert_id, e.article_id) AS waiting,
    max(e.created_at) OVER (PARTITION BY e.alert_id, e.article_id) AS newest
  FROM alert_events e JOIN old USING (alert_id, article_id)
),
feed AS (
  SELECT l.seq, row_number() OVER (PARTITION BY l.alert_id ORDER BY l.entry->>'updated' DESC) AS place
  FROM (
    SELECT DISTINCT ON (alert_id, article_id) seq, alert_id, entry FROM alert_events
    WHERE alert_id IN (SELECT alert_id FROM old)
    ORDER BY alert_id, article_id, change_seq DESC, seq DESC
  ) l
  WHERE l.entry IS NOT NULL
),
doomed AS (
  SELECT g.seq, g.alert_id, g.sent_at FROM grouped g CROSS JOIN cutoff LEFT JOIN feed f ON f.seq = g.seq
  WHERE g.state <> 'pending' AND g.created_at < cutoff.at AND g.change_seq <= $2
    AND (g.nth > 1 OR (NOT g.waiting AND g.newest < cutoff.at AND (g.entry IS NULL OR f.place > ${FEED_LIMIT})))
),
kept AS (
  INSERT INTO alert_last_success (alert_id, at)
  SELECT alert_id, max(sent_at) FROM doomed WHERE sent_at IS NOT NULL GROUP BY alert_id
  ON CONFLICT (alert_id) DO UPDATE SET at = GREATEST(alert_last_success.at, EXCLUDED.at)
),
gone AS (DELETE FROM alert_events WHERE seq IN (SELECT seq FROM doomed) RETURNING 1)
SELECT count(*) AS n FROM gone`;
