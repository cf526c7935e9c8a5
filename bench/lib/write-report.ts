/** Renders `RESULTS.md` from the run's measurements (pure). */
import type { BenchResults, Headline, HttpFigures, SizeFigures } from './bench-results.js';
import {
  cacheHitRate,
  headline,
  HTTP_SERVERS,
  indexHeap,
  LATENCY_ROWS,
  latency,
  latencyRatio,
  med,
  PERCENTILES,
  QUERY_LANGUAGE_ROWS,
  totalRss,
  TYPING_ROWS,
  type LatencyRow,
} from './summarize-results.js';

const MB = 1024 * 1024;

/** A duration in ms with sensible precision; `–` when not measured. */
function ms(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '–';
  if (value < 1) return value.toFixed(3);
  if (value < 10) return value.toFixed(2);
  if (value < 100) return value.toFixed(1);
  return value.toFixed(0);
}

function mb(bytes: number | undefined): string {
  // `+ 0` turns a rounded -0 (a heap a few KB smaller after the build) into 0.
  return bytes === undefined || !Number.isFinite(bytes) ? '–' : String(Math.round(bytes / MB) + 0);
}

/** `re-hashed of files` per run, joined (`0 of 2,225, 0 of 2,225`), `–` when not counted. */
function rehashed(list: ({ files: number; rehashed: number } | undefined)[]): string {
  const known = list.filter((x): x is { files: number; rehashed: number } => x !== undefined);
  if (known.length === 0) return '–';
  const distinct = [...new Set(known.map((x) => `${x.rehashed} of ${x.files.toLocaleString('en')}`))];
  return distinct.length === 1
    ? `${distinct[0]}${known.length > 1 ? ` (each run)` : ''}`
    : known.map((x) => `${x.rehashed} of ${x.files.toLocaleString('en')}`).join(', ');
}

function percent(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? '–' : `${(value * 100).toFixed(1)} %`;
}

function ratio(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? '–' : `${value.toFixed(2)}×`;
}

function sizeLabel(size: SizeFigures): string {
  return size.times === 1 ? '1×' : `${size.times}× (repeated text, new ids)`;
}

function table(header: string[], rows: string[][]): string {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

function verdict(ok: boolean | undefined): string {
  return ok === undefined ? 'not measured' : ok ? '**met**' : '**not met**';
}

interface TargetRow {
  target: string;
  cells: { text: string; ok: boolean | undefined }[];
}

function targets(results: BenchResults): TargetRow[] {
  const rows: TargetRow[] = [];
  const each = (
    target: string,
    cell: (size: SizeFigures) => { text: string; ok: boolean | undefined },
    sizes = results.sizes,
  ) => rows.push({ target, cells: sizes.map(cell) });
  const row = (key: string) => [...LATENCY_ROWS, ...TYPING_ROWS].find((r) => r.key === key)!;
  const beats = (ours: string, peer: string) => (size: SizeFigures) => {
    const r50 = latencyRatio(size, results, row(peer), 50);
    const r99 = latencyRatio(size, results, row(peer), 99);
    const o = (p: number) => latency(size, results, row(ours), p);
    const f = (p: number) => latency(size, results, row(peer), p);
    const ok = Number.isFinite(r50) && Number.isFinite(r99) ? r50 >= 1 && r99 >= 1 : undefined;
    return {
      text: `p50 ${ms(o(50))} vs ${ms(f(50))} ms, p99 ${ms(o(99))} vs ${ms(f(99))} ms (FTS5 ÷ ours: ${ratio(r50)}, ${ratio(r99)})`,
      ok,
    };
  };
  each(
    'search function with snippets ≤ FTS5 with `snippet()`, p50 and p99 — default mode vs FTS5 AND',
    beats('ours-default', 'fts-and-snippet'),
  );
  each('… — OR vs FTS5 OR', beats('ours-or', 'fts-or-snippet'));
  each('as-you-type p99 < 20 ms (searchArchive prefix; suggestWords)', (size) => {
    const a = latency(size, results, row('ours-typing'), 99);
    const b = latency(size, results, row('ours-suggest'), 99);
    return {
      text: `${ms(a)} ms; ${ms(b)} ms`,
      ok: Number.isFinite(a) ? a < 20 && (!Number.isFinite(b) || b < 20) : undefined,
    };
  });
  each('start from the snapshot ≤ 1 s (fresh process, `openIndex` loaded)', (size) => {
    const t = med(size, (r) => r.open?.totalMs);
    return { text: `${ms(t)} ms`, ok: Number.isFinite(t) ? t <= 1000 : undefined };
  });
  each(
    're-index after one changed file < 1 % of a full build — in memory (remove + parse + add + refresh) vs `buildIndex`',
    (size) => {
      const update = med(size, (r) => r.reindex?.inMemoryMs);
      const build = med(size, (r) => r.ours?.buildMs);
      const share = update / build;
      return {
        text: `${ms(update)} ms vs ${ms(build)} ms = ${(share * 100).toFixed(2)} %`,
        ok: Number.isFinite(share) ? share < 0.01 : undefined,
      };
    },
  );
  each('… — end to end (`openIndex` updated, fresh process) vs `openIndex` rebuilt', (size) => {
    const update = med(size, (r) => r.reindex?.openMs);
    const build = size.rebuilt?.totalMs;
    const share = build ? update / build : NaN;
    return {
      text: `${ms(update)} ms vs ${ms(build)} ms = ${(share * 100).toFixed(1)} %`,
      ok: Number.isFinite(share) ? share < 0.01 : undefined,
    };
  });
  const http = (size: SizeFigures, key: string, pick: (h: HttpFigures) => number) =>
    med(size, (r) => (r.http?.[key] ? pick(r.http[key]!) : undefined));
  const httpTarget = (key: string, withHitRate: boolean) => (size: SizeFigures) => {
    const rps = [http(size, key, (h) => h.load.requestsPerSecond), http(size, 'fts', (h) => h.load.requestsPerSecond)];
    const p99 = [http(size, key, (h) => h.load.p99), http(size, 'fts', (h) => h.load.p99)];
    const ok =
      Number.isFinite(rps[0]!) && Number.isFinite(rps[1]!) ? rps[0]! >= rps[1]! && p99[0]! <= p99[1]! : undefined;
    const hitRate = withHitRate ? `; cache hit rate ${percent(med(size, (r) => cacheHitRate(r.http?.[key])))}` : '';
    return {
      text: `${rps[0]!.toFixed(0)} vs ${rps[1]!.toFixed(0)} req/s, p99 ${ms(p99[0])} vs ${ms(p99[1])} ms${hitRate}`,
      ok,
    };
  };
  for (const workers of [1, 2])
    each(
      `HTTP req/s ≥ FTS5 server's, p99 no worse — WORKERS=${workers}, QUERY_CACHE=0 (every request searches)`,
      httpTarget(`ours-w${workers}`, false),
    );
  for (const workers of [1, 2]) {
    if (!results.sizes.some((size) => size.runs.some((r) => r.http?.[`ours-w${workers}-cache`]))) continue;
    each(
      `… — WORKERS=${workers}, query cache on (default; the load repeats ${results.querySet.queries.length} queries, so nearly all hits; FTS5 has no cache)`,
      httpTarget(`ours-w${workers}-cache`, true),
    );
  }
  each('index heap ≤ 2× raw MiniSearch’s', (size) => {
    const ours = med(size, (r) => indexHeap(r.ours));
    const raw = med(size, (r) => indexHeap(r.raw));
    const q = med(size, (r) => {
      const a = indexHeap(r.ours);
      const b = indexHeap(r.raw);
      return a !== undefined && b !== undefined ? a / b : undefined;
    });
    return { text: `${mb(ours)} vs ${mb(raw)} MB = ${ratio(q)}`, ok: Number.isFinite(q) ? q <= 2 : undefined };
  });
  each('full build ≤ 1.3× raw MiniSearch’s', (size) => {
    const q = med(size, (r) => (r.ours && r.raw ? r.ours.buildMs / r.raw.buildMs : undefined));
    return {
      text: `${ms(med(size, (r) => r.ours?.buildMs))} vs ${ms(med(size, (r) => r.raw?.buildMs))} ms = ${ratio(q)}`,
      ok: Number.isFinite(q) ? q <= 1.3 : undefined,
    };
  });
  return rows;
}

const BEFORE_AFTER: { label: string; pick: (h: Headline) => number }[] = [
  { label: 'default mode p50 (ms)', pick: (h) => h.defaultP50 },
  { label: 'default mode p99 (ms)', pick: (h) => h.defaultP99 },
  { label: 'OR p50 (ms)', pick: (h) => h.orP50 },
  { label: 'OR p99 (ms)', pick: (h) => h.orP99 },
  { label: 'as-you-type p99, searchArchive prefix (ms)', pick: (h) => h.typingP99 },
  { label: 'as-you-type p99, suggestWords (ms)', pick: (h) => h.suggestP99 },
  { label: 'start from the snapshot (ms)', pick: (h) => h.startMs },
  { label: 're-index one file, in memory (ms)', pick: (h) => h.reindexInMemoryMs },
  { label: 're-index one file, end to end (ms)', pick: (h) => h.reindexEndToEndMs },
];

/** The before / after table: the previous run's headline figures against this run's, per size. */
function beforeAfter(results: BenchResults): string[] {
  const previous = results.previous;
  if (!previous) return [];
  const now = headline(results);
  const day = (iso: string) => iso.replace('T', ' ').replace(/:\d\d\.\d+Z$/, ' UTC');
  const rows: string[][] = [];
  for (const size of now) {
    const before = previous.sizes.find((s) => s.times === size.times);
    if (!before) continue;
    const label = size.times === 1 ? '1×' : `${size.times}×`;
    const line = (what: string, b: number, a: number, note = '') => {
      const change =
        Number.isFinite(b) && Number.isFinite(a) && b !== null && a !== null && b > 0
          ? `${a / b < 0.1 ? (a / b).toFixed(3) : (a / b).toFixed(2)}×`
          : '–';
      rows.push([label, what, ms(b), ms(a), `${change}${note}`]);
    };
    for (const m of BEFORE_AFTER) line(m.label, m.pick(before), m.pick(size));
    for (const workers of [1, 2]) {
      const b = before.http[`ours-w${workers}`];
      const off = size.http[`ours-w${workers}`];
      const on = size.http[`ours-w${workers}-cache`];
      line(`HTTP WORKERS=${workers} req/s, QUERY_CACHE=0`, b?.rps ?? NaN, off?.rps ?? NaN);
      line(`HTTP WORKERS=${workers} p99 (ms), QUERY_CACHE=0`, b?.p99 ?? NaN, off?.p99 ?? NaN);
      line(
        `HTTP WORKERS=${workers} req/s, query cache on`,
        b?.rps ?? NaN,
        on?.rps ?? NaN,
        ' (before: no cache existed)',
      );
      line(
        `HTTP WORKERS=${workers} p99 (ms), query cache on`,
        b?.p99 ?? NaN,
        on?.p99 ?? NaN,
        ' (before: no cache existed)',
      );
    }
    line('HTTP FTS5 server req/s (same peer, both runs)', before.http.fts?.rps ?? NaN, size.http.fts?.rps ?? NaN);
  }
  return [
    `## Before / after: ${day(previous.date)} → ${day(results.date)}`,
    `The previous run's report is kept as \`${previous.report}\` (${previous.machine.cpu}, ${previous.machine.cores} cores${previous.machine.cpu === results.machine.cpu && previous.machine.cores === results.machine.cores ? ', the same machine type' : ''}). ${sameMethod(previous.warmup, results.querySet.warmup)} every figure is the median over runs as above. After ÷ before below 1 is faster (for req/s above 1 is better). Before the query cache existed every HTTP request searched, so the QUERY_CACHE=0 rows are the like-for-like comparison. Figures drift between runs by several per cent on this shared machine: read small changes as noise.`,
    table(['Size', 'Figure', 'Before', 'After', 'After ÷ before'], rows),
  ];
}

/** How the latency warm-up is described when a results file does not say (runs before the warm-up list existed). */
export function warmupDescription(warmup: readonly string[] | undefined): string {
  return warmup
    ? `${warmup.length} other queries of the same kind (\`warmup\` in \`bench/queries.json\`: one, two and three words in turn, a different seed, none of them timed)`
    : 'the first 30 queries of the set (all one-word queries)';
}

/** The before / after table's statement of method: the same, or what changed. */
function sameMethod(before: string | undefined, after: string | undefined): string {
  const b = before ?? warmupDescription(undefined);
  const a = after ?? warmupDescription(undefined);
  if (a === b) return 'Same query set, same sizes, same method;';
  return `Same query set and sizes; one change of method: the untimed warm-up before the latency pass was ${b}, it is now ${a}, so the timed pass no longer includes V8 compiling the two- and three-word paths on their first calls (a one-off in a process's life; the first queries after a restart are slower);`;
}

function latencyTable(results: BenchResults, size: SizeFigures, rows: LatencyRow[], byLength: boolean): string {
  const header = ['System and mode', ...PERCENTILES.map((p) => `p${p}`)];
  if (byLength) header.push('1 word p50 / p99', '2 words p50 / p99', '3 words p50 / p99');
  header.push('p50 ÷ ours', 'p99 ÷ ours');
  const body = rows
    .filter((row) => size.runs.some((run) => row.list(run)))
    .map((row) => {
      const cells = [row.label, ...PERCENTILES.map((p) => ms(latency(size, results, row, p)))];
      if (byLength) {
        for (const words of [1, 2, 3])
          cells.push(`${ms(latency(size, results, row, 50, words))} / ${ms(latency(size, results, row, 99, words))}`);
      }
      const self = row.versus === row.key;
      cells.push(
        self ? '1' : ratio(latencyRatio(size, results, row, 50)),
        self ? '1' : ratio(latencyRatio(size, results, row, 99)),
      );
      return cells;
    });
  return table(header, body);
}

/** The whole `RESULTS.md`. */
export function writeReport(results: BenchResults): string {
  const out: string[] = [];
  const push = (...lines: string[]) => out.push(...lines, '');
  const runsNote =
    results.flags.runsLarge !== results.flags.runs
      ? `${results.flags.runs} at 1×, ${results.flags.runsLarge} at larger sizes`
      : `${results.flags.runs}`;

  push(`# Benchmark results${results.quick ? ' (QUICK MODE: tiny fixture corpus, figures meaningless)' : ''}`);
  push(
    `- Date: ${results.date}`,
    `- Machine: ${results.machine.cpu}, ${results.machine.cores} cores, ${(results.machine.ramBytes / 1024 ** 3).toFixed(1)} GB RAM, ${results.machine.platform}`,
    `- Versions: Node ${results.versions.node}, MiniSearch ${results.versions.minisearch}, SQLite ${results.versions.sqlite} (better-sqlite3 ${results.versions.betterSqlite3}), autocannon ${results.versions.autocannon}`,
    `- Runs: ${runsNote}; every figure is the median over runs; every ratio is taken within one run, then the median over runs. Each system is measured in its own child process (\`bench/child.ts\`, \`--expose-gc\`), one after another, in the same run.`,
    `- Sizes: ${results.sizes.map((s) => `${sizeLabel(s)}: ${s.articles.toLocaleString('en')} articles, ${s.paragraphs.toLocaleString('en')} paragraphs`).join('; ')}. 1× is BBC + Reuters from \`../shared/corpora\`; larger sizes repeat the same text with new ids, which understates how the vocabulary of a real larger archive grows.`,
    `- Query set (${results.quick ? 'generated from the fixture corpus' : '`bench/queries.json`, made by `bench/make-queries.ts`, seed fixed'}): ${results.querySet.description}.`,
    `- Command: \`npm run bench${results.quick ? ' -- --quick' : ''}\`${results.elapsedSeconds ? `, took ${(results.elapsedSeconds / 60).toFixed(1)} min` : ''}.`,
  );

  const bandCounts = ['common', 'middle', 'rare'].map((band) => {
    const qs = results.querySet.queries.filter((q) => q.band === band);
    return `${band}: ${qs.length}`;
  });
  push(
    `Queries per anchor band: ${bandCounts.join(', ')}. The bands count paragraphs at 1× (at 4× every count is four times as large).`,
  );

  push('## Targets');
  const targetRows = targets(results);
  push(
    table(
      ['Target', ...results.sizes.map(sizeLabel)],
      targetRows.map((t) => [t.target, ...t.cells.map((c) => `${verdict(c.ok)}: ${c.text}`)]),
    ),
  );
  const comparison = beforeAfter(results);
  if (comparison.length) push(...comparison.flatMap((block) => [block, '']).slice(0, -1));

  push('## Build and memory');
  push(
    'Build: the index alone, from parsed articles already in memory (ours: `buildIndex`, paragraphs + headlines; raw MiniSearch: `addAll` of the paragraphs; FTS5: inserts in one transaction into a file database, journal off). Index memory: `heapUsed + external` after `global.gc()`, after minus before the build (the articles are in memory in both readings). RSS: the whole process after the build.',
  );
  const buildRows: string[][] = [];
  for (const size of results.sizes) {
    const rawBuild = med(size, (r) => r.raw?.buildMs);
    buildRows.push(
      [
        sizeLabel(size),
        'ours',
        ms(med(size, (r) => r.ours?.buildMs)),
        mb(med(size, (r) => indexHeap(r.ours))),
        mb(med(size, (r) => r.ours?.memoryAfter.rss)),
        ratio(med(size, (r) => (r.ours && r.raw ? r.ours.buildMs / r.raw.buildMs : undefined))),
        ratio(
          med(size, (r) => {
            const a = indexHeap(r.ours);
            const b = indexHeap(r.raw);
            return a !== undefined && b !== undefined ? a / b : undefined;
          }),
        ),
      ],
      [
        sizeLabel(size),
        'raw MiniSearch',
        ms(rawBuild),
        mb(med(size, (r) => indexHeap(r.raw))),
        mb(med(size, (r) => r.raw?.memoryAfter.rss)),
        '1',
        '1',
      ],
      [
        sizeLabel(size),
        `FTS5 (file ${mb(med(size, (r) => r.fts?.dbBytes))} MB)`,
        ms(med(size, (r) => r.fts?.buildMs)),
        `${mb(med(size, (r) => indexHeap(r.fts)))} (JS only; SQLite's memory is in RSS)`,
        mb(med(size, (r) => r.fts?.memoryAfter.rss)),
        ratio(med(size, (r) => (r.fts && r.raw ? r.fts.buildMs / r.raw.buildMs : undefined))),
        '–',
      ],
    );
  }
  push(
    table(
      [
        'Size',
        'System',
        'Build (ms)',
        'Index memory (MB)',
        'RSS after build (MB)',
        'Build ÷ raw MiniSearch',
        'Memory ÷ raw MiniSearch',
      ],
      buildRows,
    ),
  );

  push('## Snapshot and start');
  push(
    'Ours: `openIndex` with a valid cache in a fresh process (it lists the corpus files and stats each, re-reads and hashes only those whose size or mtime moved or that were modified within 2 s before the snapshot was written, then decodes the snapshot). The temp copy of the corpus is dated back one hour (`utimes`) before its snapshot is built, as an archive’s files are older than its snapshot: the start is the steady state, and the re-hashed column checks it (counted after the timed start, by the same rule). Raw MiniSearch: `JSON.stringify(miniSearch)` to a file, then `readFile` + `MiniSearch.loadJSON` in a fresh process. The first `openIndex` over an empty cache (read + build + save) is run once per size.',
  );
  push(
    table(
      [
        'Size',
        'Ours snapshot (MB)',
        'Ours start from snapshot (ms)',
        '… of which corpus listing + hashing (ms)',
        'Files re-hashed',
        '… snapshot read + decode (ms)',
        'Heap after start (MB)',
        'Ours first open, rebuilt (ms)',
        'Raw MiniSearch JSON (MB)',
        'JSON.stringify (ms)',
        'readFile + loadJSON (ms)',
      ],
      results.sizes.map((size) => [
        sizeLabel(size),
        mb(size.rebuilt?.cacheBytes),
        ms(med(size, (r) => r.open?.totalMs)),
        ms(med(size, (r) => r.open?.timings.readMs)),
        rehashed(size.runs.map((r) => r.open?.rehash)),
        ms(med(size, (r) => r.open?.timings.indexMs)),
        mb(med(size, (r) => (r.open ? r.open.memoryAfter.heapUsed + r.open.memoryAfter.external : undefined))),
        ms(size.rebuilt?.totalMs),
        mb(med(size, (r) => r.raw?.jsonBytes)),
        ms(med(size, (r) => r.raw?.stringifyMs)),
        `${ms(med(size, (r) => r.rawLoad?.totalMs))} (load ${ms(med(size, (r) => r.rawLoad?.loadMs))})`,
      ]),
    ),
  );

  push('## Re-index after one changed file');
  push(
    'One BBC `.txt` article in a temp copy of the corpus (mtimes kept, dated back like the corpus) gets a paragraph appended after the snapshot was saved. End to end: `openIndex` in a fresh process (`updated`: lists the corpus, re-hashes only what moved — the changed file should be the only one —, loads the snapshot, re-indexes the file, saves). In memory: on the index already open, edit a file, then remove its articles, parse it, add them, refresh the tables (what a running service would do; `removeArticles` / `addArticles` / `refresh` update the index incrementally). One untimed warm-up on another file first (the first call compiles the path), then ' +
      'the median of 5 different files, each timed alone.',
  );
  push(
    table(
      [
        'Size',
        'State',
        'Files re-hashed',
        'End to end (ms)',
        'read / index / save (ms)',
        'In memory, median of 5 (ms)',
        '… each file (ms, last run)',
        'Full build: `buildIndex` (ms)',
        'Full: `openIndex` rebuilt (ms)',
        'In memory ÷ build',
        'End to end ÷ rebuilt',
      ],
      results.sizes.map((size) => {
        const t = (k: 'readMs' | 'indexMs' | 'saveMs') => ms(med(size, (r) => r.reindex?.timings[k]));
        const inMemory = med(size, (r) => r.reindex?.inMemoryMs);
        const endToEnd = med(size, (r) => r.reindex?.openMs);
        const build = med(size, (r) => r.ours?.buildMs);
        const each = size.runs.at(-1)?.reindex?.inMemoryEachMs;
        return [
          sizeLabel(size),
          size.runs.map((r) => r.reindex?.state ?? '–').join(', '),
          rehashed(size.runs.map((r) => r.reindex?.rehash)),
          ms(endToEnd),
          `${t('readMs')} / ${t('indexMs')} / ${t('saveMs')}`,
          ms(inMemory),
          each ? each.map((x) => ms(x)).join(', ') : '–',
          ms(build),
          ms(size.rebuilt?.totalMs),
          `${((inMemory / build) * 100).toFixed(2)} %`,
          size.rebuilt ? `${((endToEnd / size.rebuilt.totalMs) * 100).toFixed(1)} %` : '–',
        ];
      }),
    ),
  );

  push('## Query latency (ms), the query set');
  push(
    'One call per query, synchronous, timed with `performance.now()` after an untimed warm-up of ' +
      (results.querySet.warmup ?? warmupDescription(undefined)) +
      ', run by every system. Ours returns the first page (10 articles) with up to 3 highlighted, escaped snippets each (30 words) and counts every hit; raw MiniSearch returns every match scored and sorted (then the first 10 are taken); FTS5 returns the top 10 paragraphs by `bm25` (`ORDER BY rank LIMIT 10`), with `snippet(…, 30 tokens)` where stated. Ratios: the peer’s percentile ÷ ours (default-mode row for AND peers, OR row for OR peers), so above 1 means ours is faster. Note the default mode also expands the last word as a prefix, which the AND peers do not.',
  );
  for (const size of results.sizes) push(`### ${sizeLabel(size)}`, latencyTable(results, size, LATENCY_ROWS, true));

  push('## As-you-type (ms)');
  push('Every prefix of the typed words (`g`, `go`, `gov`, …), one word at a time, one-letter prefixes included.');
  for (const size of results.sizes) push(`### ${sizeLabel(size)}`, latencyTable(results, size, TYPING_ROWS, false));

  push('## Query language (ms)');
  push(
    'NEAR: the first two words of each query of two words or more, at most 5 words apart; prefix: the first four letters of each typed word; pattern: each typed word with its third letter a `?`. Ours returns the first page with snippets (NEAR re-tokenizes candidate paragraphs: segments store no positions); FTS5 the top 10 paragraphs with `snippet()` (its index stores positions). Ratios: FTS5 ÷ ours, above 1 means ours is faster.',
  );
  for (const size of results.sizes)
    push(`### ${sizeLabel(size)}`, latencyTable(results, size, QUERY_LANGUAGE_ROWS, false));

  push('## HTTP over loopback');
  push(
    `autocannon, 32 connections, ${results.flags.httpSeconds} s per server after a short warm-up, each request the next query of the set (\`/search?q=…\`, cycling through all ${results.querySet.queries.length}). Ours: \`src/main.ts serve\` started from the pre-built snapshot (default mode, 10 articles with snippets), in two configurations. **QUERY_CACHE=0**: the response cache is off and every request runs a search — the engine’s honest figure, and the one the targets judge. **Query cache on** (the default, 1000 entries per worker process): the load repeats the same ${results.querySet.queries.length} queries, so after each worker’s first pass nearly every request is answered from the cache; the hit rate is read from \`/health\` (\`queryCache\`, summed over the workers) before and after the timed load, so it covers the timed window only. This measures the cache, not the search: a real stream of queries repeats far less. FTS5: \`bench/fts-server.ts\` (\`node:http\`, AND, top 10 paragraphs with \`snippet()\`), which has no cache: every request runs the query. The load generator runs on the same ${results.machine.cores} cores. RSS: every process of the server (cluster primary + workers) after the load.`,
  );
  const httpRows: string[][] = [];
  for (const size of results.sizes) {
    for (const { key, label } of HTTP_SERVERS) {
      if (!size.runs.some((r) => r.http?.[key])) continue;
      const h = (pick: (x: HttpFigures) => number) =>
        med(size, (r) => (r.http?.[key] ? pick(r.http[key]!) : undefined));
      const perProcess =
        size.runs
          .at(-1)
          ?.http?.[key]?.rssAfter.map((p) => mb(p.rss))
          .join(' + ') ?? '–';
      const cache = size.runs.map((r) => r.http?.[key]?.queryCache).find((c) => c);
      httpRows.push([
        sizeLabel(size),
        label,
        h((x) => x.load.requestsPerSecond).toFixed(0),
        ms(h((x) => x.load.p50)),
        ms(h((x) => x.load.p90)),
        ms(h((x) => x.load.p99)),
        `${h((x) => x.load.non2xx)} / ${h((x) => x.load.errors + x.load.timeouts)}`,
        key === 'fts'
          ? 'no cache'
          : cache?.afterLoad?.size === 0
            ? 'off (0 hits)'
            : percent(med(size, (r) => cacheHitRate(r.http?.[key]))),
        `${mb(h((x) => totalRss(x.rssAfter)!))} (${perProcess})`,
        ratio(
          med(size, (r) =>
            r.http?.[key] && r.http.fts
              ? r.http[key]!.load.requestsPerSecond / r.http.fts.load.requestsPerSecond
              : undefined,
          ),
        ),
        ms(h((x) => x.readyMs)),
      ]);
    }
  }
  push(
    table(
      [
        'Size',
        'Server',
        'req/s',
        'p50',
        'p90',
        'p99',
        'non-2xx / errors',
        'cache hit rate (timed window)',
        'RSS after load, MB (per process, last run)',
        'req/s ÷ FTS5',
        'spawn to ready (ms)',
      ],
      httpRows,
    ),
  );
  for (const size of results.sizes) {
    const w1 = med(size, (r) => totalRss(r.http?.['ours-w1']?.rssAfter));
    const w2 = med(size, (r) => totalRss(r.http?.['ours-w2']?.rssAfter));
    if (Number.isFinite(w1) && Number.isFinite(w2))
      push(
        `WORKERS=2 memory cost at ${sizeLabel(size)} (QUERY_CACHE=0): ${mb(w2)} MB against ${mb(w1)} MB for WORKERS=1 (+${mb(w2 - w1)} MB, ${ratio(w2 / w1)}); the cluster primary builds or loads the index before forking, and every worker holds its own copy. (A ~12 MB process in the list is esbuild’s service, started by tsx.)`,
      );
  }

  const hostileSize = results.sizes.find((s) => s.runs.some((r) => r.ours?.hostile));
  if (hostileSize) {
    push('## Hostile queries (1×)');
    push(
      'One synchronous `searchArchive` call each (so its duration is how long it blocks the event loop), default mode and OR; the max over runs. Target: at most about 100 ms.',
    );
    const names = Object.keys(hostileSize.runs.find((r) => r.ours?.hostile)!.ours!.hostile!);
    push(
      table(
        ['Query', 'Max time (ms)', 'Hits', 'Within ~100 ms'],
        names.map((name) => {
          const worst = Math.max(
            ...hostileSize.runs.map((r) => r.ours?.hostile?.[name]?.ms ?? NaN).filter(Number.isFinite),
          );
          const hits = hostileSize.runs.find((r) => r.ours?.hostile?.[name])?.ours?.hostile?.[name]?.hits ?? 0;
          return [name, ms(worst), String(hits), worst <= 100 ? 'yes' : '**no**'];
        }),
      ),
    );
  }

  if (results.profile) {
    const p = results.profile;
    push('## CPU profile: our query passes');
    push(
      `\`--cpu-prof\` on a separate ours-child at ${p.times}× (not one of the timed runs); ${p.windowed ? 'only samples taken during the default-mode and OR passes over the query set count' : 'all samples of the child count (the query window could not be matched to the profile clock)'}: ${ms(p.totalMs)} ms of samples. Top functions by self time:`,
    );
    push(
      table(
        ['Function', 'Where', 'Self (ms)', 'Share'],
        p.top.map((t) => [`\`${t.name}\``, t.where, ms(t.selfMs), `${(t.share * 100).toFixed(1)} %`]),
      ),
    );
  }

  push('## Caveats');
  push(
    '- Ours answers more than the peers: every hit counted (`totalHits`), articles grouped, headlines scored, up to 3 snippets per article with HTML escaping; FTS5 stops at 10 paragraphs with one unescaped snippet each.',
    '- Ours’ default mode expands the last word as a prefix and retries with typos when nothing matches; the AND peers do neither.',
    '- HTTP: client and servers share the machine’s cores, so req/s is a ceiling for this box, not a capacity figure. With the query cache on, the figures are those of a workload that repeats 300 queries: they say what a hit costs, not what the search costs.',
    '- The in-process latencies (query set, as-you-type, hostile) call `searchArchive` and `suggestWords` directly, never the HTTP layer’s `cachedSearch`: every timed call searches.',
    '- Larger sizes repeat the text with new ids: document frequencies scale exactly, the vocabulary does not grow.',
    '- Each child compiles `src/` when it starts: if `src/` changes during a run, later children measure the newer code. The CPU profile runs last.',
    `- Order within a run: ours, raw MiniSearch (+ loadJSON), FTS5, start from snapshot, re-index, HTTP (ours WORKERS=1 and 2 with QUERY_CACHE=0, then WORKERS=1 and 2 with the default cache, then FTS5); sizes one after another. Re-render this file from \`results.json\` with \`npx tsx bench/render-report.ts\`.`,
  );
  return `${out.join('\n').trimEnd()}\n`;
}
