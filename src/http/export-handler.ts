import type { Request, RequestHandler, Response } from 'express';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { SearchError } from '../errors.js';
import { exportHeader, exportRecord, formatRecord, type ExportFormat } from '../export/format-export.js';
import { HitExport } from '../query/results/export-hits.js';
import type { Admission } from './admission.js';
import type { AppDeps } from './app-deps.js';
import { requestLogger } from './access-log.js';
import { parseQueryString } from './parse-query-string.js';
import { readExportParams } from './read-export-params.js';
import { requireIndex } from './require-index.js';

/** Limits of `GET /search/export`. */
export const EXPORT_LIMITS = {
  /** Exports streaming at once per process; one more is `503 overloaded` (each takes a share of the event loop for its duration). */
  concurrent: 2,
  /** Most rows built in one turn of the event loop. */
  rowsPerSlice: 500,
  /** Most milliseconds of row building (or sorting) in one turn, before sockets are read again: as the search queue's slice. */
  sliceMs: 10,
} as const;

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8; header=present',
  ndjson: 'application/x-ndjson; charset=utf-8',
};

/** A file name for the export of `q`: `newsroom-export-<words>-<YYYY-MM-DD>.<ext>`, ASCII letters, digits and `-` only. */
export function exportFileName(q: string, format: ExportFormat, now = new Date()): string {
  const words = q
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '')
    .toLowerCase();
  return `newsroom-export${words ? `-${words}` : ''}-${now.toISOString().slice(0, 10)}.${format}`;
}

/** The search page's absolute URL for links in an export, from the request's Host; `/` alone when the Host is not a plain host name. */
function pageUrlOf(req: Request): string {
  const host = req.get('host') ?? '';
  return /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(host) ? `${req.protocol}://${host}/` : '/';
}

/** Resolves once `res` may be written again ('drain'), or once the client is gone ('close'). */
function writable(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/**
 * `GET /search/export`: every hit of a search (the parameters of `/search`
 * minus paging and facets, plus `format`) as CSV or NDJSON, streamed.
 *
 * The query runs once, in its turn of the search queue (`admission`) and
 * without the per-search time budget (an export must be complete); `X-Total-Hits`
 * then says how many rows follow. Rows are built at most
 * {@link EXPORT_LIMITS}.rowsPerSlice or sliceMs at a time, with a turn of the
 * event loop between slices so other requests are answered, and no more is
 * built while the client is not reading (`write` returning false waits for
 * 'drain'): memory stays that of one slice, however many rows. A client that
 * disconnects stops the work at the next slice. Bad parameters are 400s naming
 * the parameter, before anything is sent; an index change during the stream
 * cuts the connection (the client sees an incomplete response, never a silently short file).
 */
export function exportHandler(deps: AppDeps, admission: Admission): RequestHandler {
  const limits = { ...EXPORT_LIMITS, ...deps.exportLimits };
  let running = 0;
  return async (req, res) => {
    const { search, format } = readExportParams(parseQueryString(req.originalUrl));
    const index = requireIndex(deps);
    if (running >= limits.concurrent) {
      throw new SearchError(
        'overloaded',
        `The service is busy: ${limits.concurrent} exports are already running. Retry shortly.`,
      );
    }
    running++;
    try {
      const job = await admission.run(
        () => HitExport.start(index, search, undefined, deps.synonyms?.table()),
        () => req.socket.destroyed,
      );
      let closed = false;
      res.on('close', () => {
        closed = true;
      });
      res.status(200);
      res.set({
        'Content-Type': CONTENT_TYPES[format],
        'Content-Disposition': `attachment; filename="${exportFileName(search.q, format)}"`,
        'Cache-Control': 'no-store',
        'X-Total-Hits': String(job.total),
        'X-Exhaustive': String(job.exhaustive),
      });
      // HEAD: the headers (the count of rows) without building any row.
      if (req.method === 'HEAD') {
        res.end();
        return;
      }
      const pageUrl = pageUrlOf(req);
      let pending = exportHeader(format);
      for (;;) {
        if (closed) return;
        let rows;
        try {
          rows = job.step(limits.rowsPerSlice, limits.sliceMs);
        } catch (error) {
          requestLogger(res)?.warn({ err: error }, 'export stopped');
          res.destroy();
          return;
        }
        if (rows === null) break;
        for (const row of rows) pending += formatRecord(exportRecord(row, search.q, pageUrl), format);
        if (pending !== '' && !res.write(pending)) await writable(res);
        else await nextTurn();
        pending = '';
      }
      if (pending !== '') res.write(pending);
      res.end();
    } finally {
      running--;
    }
  };
}
