import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/http/create-app.js';
import { buildIndex } from '../src/index/index-writer.js';
import { EXPORT_COLUMNS } from '../src/export/format-export.js';
import { harbourArticles, TRICKY_TITLE, trickyArticles } from './fixtures/export/export-corpus.js';

const HITS = 2500;
const index = buildIndex([...harbourArticles(HITS), ...trickyArticles()], { segmentArticles: 700 });
const app = createApp({ getIndex: () => index });

/** A minimal RFC 4180 reader (quoted fields with doubled quotes, CRLF records), to check what we write. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), (i += 2);
      else if (c === '"') (quoted = false), i++;
      else (field += c), i++;
    } else if (c === '"') (quoted = true), i++;
    else if (c === ',') record.push(field), (field = ''), i++;
    else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      (record = []), (field = ''), (i += 2);
    } else (field += c), i++;
  }
  if (field !== '' || record.length) throw new Error('the last record has no CRLF');
  return records;
}

async function exportCsv(
  query: string,
): Promise<{ header: string[]; rows: Record<string, string>[]; res: request.Response }> {
  const res = await request(app)
    .get(`/search/export?${query}`)
    .buffer(true)
    .parse((r, done) => {
      let text = '';
      r.setEncoding('utf8');
      r.on('data', (chunk: string) => (text += chunk));
      r.on('end', () => done(null, text));
    });
  expect(res.status, String(res.body)).toBe(200);
  const [header, ...records] = parseCsv(res.body as string);
  return {
    header: header!,
    rows: records.map((r) => Object.fromEntries(header!.map((name, k) => [name, r[k]!]))),
    res,
  };
}

describe('GET /search/export', () => {
  it(`streams all ${HITS} hits past the 1,000-hit cap, one unique row each, in the order /search pages them`, async () => {
    const { header, rows, res } = await exportCsv('q=harbour');
    expect(header).toEqual([...EXPORT_COLUMNS]);
    expect(rows).toHaveLength(HITS);
    expect(new Set(rows.map((r) => r['articleId'])).size).toBe(HITS);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="newsroom-export-harbour-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    expect(res.headers['x-total-hits']).toBe(String(HITS));
    const page = await request(app).get('/search?q=harbour&hitsPerPage=100&page=3');
    expect(rows.slice(200, 300).map((r) => r['articleId'])).toEqual(
      page.body.hits.map((h: { articleId: string }) => h.articleId),
    );
    expect(rows[200]!['score']).toBe(String(page.body.hits[0].score));
    expect(rows[200]!['snippet']).toBe(page.body.hits[0].snippets[0].text);
  });

  it('fills every column: metadata, the best snippet as plain text, and the paragraph and its link on the search page', async () => {
    const { rows } = await exportCsv('q=harbour&source=CNN&sort=date:asc');
    expect(rows).toHaveLength(Math.ceil((HITS - 1) / 3));
    expect(rows[0]).toEqual({
      articleId: 'harbour-00001',
      headline: 'Harbour report number 1',
      date: '2000-01-02',
      authors: 'Writer 1',
      source: 'CNN',
      section: '',
      url: '',
      score: rows[0]!['score'],
      snippet: 'Ships waited at the harbour at the harbour for the tide on day 1.',
      paragraphId: 'harbour-00001#p0',
      paragraphUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/\?q=harbour&article=harbour-00001#p0$/),
      // Daily reports of a dozen words that differ in their numbers share too few 5-word shingles to be duplicates.
      duplicateGroup: '',
    });
    expect(Number(rows[0]!['score'])).toBeGreaterThan(0);
  });

  it('quotes commas, quotes and newlines per RFC 4180 and reads back the exact values', async () => {
    const { rows, res } = await exportCsv('q=lighthouse');
    const row = rows.find((r) => r['articleId'] === 'tricky/quoted')!;
    expect(row['headline']).toBe(TRICKY_TITLE);
    expect(row['authors']).toBe('Ana Ríos; Bo, Jr.');
    expect(row['source']).toBe('Wire "A"');
    expect(row['snippet']).toBe('The lighthouse keeper said: "it is, in short, closed".\nA second line.');
    expect(res.body as string).toContain('"Commas, ""quotes"" and\nnewlines in a lighthouse headline"');
  });

  it('neutralises cells that start with =, +, - or @ (CSV injection) with a leading apostrophe', async () => {
    const { rows } = await exportCsv('q=lighthouse');
    const row = rows.find((r) => r['articleId'] === 'tricky/formulas')!;
    expect(row['headline']).toBe('\'=HYPERLINK("http://example.invalid","lighthouse")');
    expect(row['authors']).toBe("'+cmd|calc");
    expect(row['source']).toBe("'-2+3");
    expect(row['section']).toBe("'@SUM(A1)");
  });

  it('gives one row per matching paragraph with groupBy=none', async () => {
    const { rows } = await exportCsv('q=lighthouse&groupBy=none');
    expect(rows.filter((r) => r['articleId'] === 'tricky/formulas').map((r) => r['paragraphId'])).toEqual([
      'tricky/formulas#p0',
      'tricky/formulas#p1',
      'tricky/formulas#p2',
    ]);
    expect(rows).toHaveLength(4);
  });

  it('writes NDJSON: one JSON object a line with the same fields, authors as an array and null for absent values', async () => {
    const res = await request(app).get('/search/export?q=harbour&format=ndjson&author=Writer%203');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/filename="newsroom-export-harbour-.*\.ndjson"/);
    const text = res.text;
    expect(text.endsWith('\n')).toBe(true);
    const records = text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records.length).toBe(harbourArticles(HITS).filter((a) => a.authors[0] === 'Writer 3').length);
    expect(Object.keys(records[0]!)).toEqual([...EXPORT_COLUMNS]);
    expect(records[0]).toMatchObject({ authors: ['Writer 3'], section: null, url: null });
    expect(typeof records[0]!['score']).toBe('number');
  });

  it('exports every article newest first for an empty query (browse mode), with the lead paragraph', async () => {
    const { rows } = await exportCsv('from=2024-01-01');
    expect(rows.map((r) => r['articleId'])).toEqual(['tricky/formulas', 'tricky/quoted']);
    expect(rows[0]!['snippet']).toBe('The lighthouse was painted.');
    expect(rows[0]!['score']).toBe('0');
  });

  it.each([
    ['format=xml', 'invalid_export_format', 'format'],
    ['groupBy=paragraph', 'invalid_search_group_by', 'groupBy'],
    ['from=2024-02-30', 'invalid_search_from', 'from'],
    ['from=2024-03-02&to=2024-03-01', 'invalid_search_to', 'to'],
    ['q=a&q=b', 'invalid_search_q', 'q'],
    ['sort=score', 'invalid_search_sort', 'sort'],
  ])('answers 400 JSON naming the parameter for %s', async (query, code, name) => {
    const res = await request(app).get(`/search/export?${query}`);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toMatchObject({ code, type: 'invalid_request' });
    expect(res.body.message).toContain(`\`${name}\``);
  });

  it('answers HEAD with the headers alone, the count of rows among them', async () => {
    const res = await request(app).head('/search/export?q=harbour');
    expect(res.status).toBe(200);
    expect(res.headers['x-total-hits']).toBe(String(HITS));
    expect(res.text ?? '').toBe('');
  });

  it('answers 503 index_loading before the index serves', async () => {
    const loading = createApp({ getIndex: () => null });
    const res = await request(loading).get('/search/export?q=x');
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('index_loading');
  });
});

describe('GET /search/export under load', () => {
  it('stops building rows once the client disconnects', async () => {
    const { createServer, get } = await import('node:http');
    const { vi } = await import('vitest');
    const { HitExport } = await import('../src/query/results/export-hits.js');
    const slow = createApp({ getIndex: () => index, exportLimits: { rowsPerSlice: 5 } });
    const server = createServer(slow);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const step = vi.spyOn(HitExport.prototype, 'step');
    try {
      await new Promise<void>((resolve, reject) => {
        const req = get(`http://127.0.0.1:${port}/search/export?q=harbour`, (res) => {
          res.once('data', () => {
            req.destroy();
            resolve();
          });
        });
        req.on('error', (error) => (req.destroyed ? undefined : reject(error)));
      });
      await new Promise((r) => setTimeout(r, 100));
      const calls = step.mock.calls.length;
      await new Promise((r) => setTimeout(r, 200));
      expect(step.mock.calls.length).toBe(calls);
      // 2,500 rows at 5 a slice would take 500 slices.
      expect(calls).toBeLessThan(400);
    } finally {
      step.mockRestore();
      await new Promise((r) => server.close(r));
    }
  });

  it('builds no more rows while the client does not read (backpressure), and all of them once it does', async () => {
    const { createServer, get } = await import('node:http');
    const { vi } = await import('vitest');
    const { HitExport } = await import('../src/query/results/export-hits.js');
    // 12,000 rows of about 2 kB each (a long headline, a snippet of 80 words): far more than a loopback connection buffers (~7 MB here).
    const long = 'The harbour pilots waited for the tide while the cranes stood idle over the empty quay. '.repeat(12);
    const big = buildIndex(
      harbourArticles(12_000).map((a) => ({
        ...a,
        title: `${a.title}: ${long}`,
        paragraphs: [long + a.paragraphs[0]!],
      })),
    );
    const server = createServer(createApp({ getIndex: () => big, exportLimits: { rowsPerSlice: 100 } }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const step = vi.spyOn(HitExport.prototype, 'step');
    try {
      const res = await new Promise<import('node:http').IncomingMessage>((resolve) =>
        get(`http://127.0.0.1:${port}/search/export?q=harbour&cropLength=80`, resolve),
      );
      res.pause();
      // Wait until no slice has run for 300 ms (the first slice also builds the duplicate groups: a second or more on a loaded machine).
      let stalled = -1;
      while (stalled !== step.mock.calls.length) {
        stalled = step.mock.calls.length;
        await new Promise((r) => setTimeout(r, 300));
      }
      expect(stalled).toBeLessThan(100); // 12,000 rows at 100 a slice take 120 slices (and the sort steps); here it stalls near 26
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.resume();
      await new Promise((resolve) => res.on('end', resolve));
      expect(text.split('\r\n').length - 2).toBe(12_000);
    } finally {
      step.mockRestore();
      // A failed assertion leaves the paused response open: close it, or close() would wait for it forever.
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  }, 120_000); // building and exporting 12,000 long rows takes about 10 s on an idle machine, several times that on a loaded one

  it('yields to other requests between slices: a search sent during an export is answered before it ends', async () => {
    const sliced = createApp({ getIndex: () => index, exportLimits: { rowsPerSlice: 5 } });
    const finished: string[] = [];
    const exporting = request(sliced)
      .get('/search/export?q=harbour')
      .then((res) => {
        finished.push('export');
        return res;
      });
    await new Promise((r) => setTimeout(r, 30));
    const searched = request(sliced)
      .get('/search?q=lighthouse')
      .then((res) => {
        finished.push('search');
        return res;
      });
    const [exported, search] = await Promise.all([exporting, searched]);
    expect(search.status).toBe(200);
    expect(exported.text.split('\r\n').length - 2).toBe(HITS);
    expect(finished).toEqual(['search', 'export']);
  });

  it('answers 503 overloaded when the exports allowed at once are running', async () => {
    const one = createApp({ getIndex: () => index, exportLimits: { concurrent: 1, rowsPerSlice: 50 } });
    const [a, b] = await Promise.all([
      request(one).get('/search/export?q=harbour'),
      request(one).get('/search/export?q=harbour'),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 503]);
    expect((a.status === 503 ? a : b).body.code).toBe('overloaded');
  });
});
