import type { ExportRow } from '../query/results/export-hits.js';
import { csvRecord } from './csv.js';

/** Export formats: `csv` (RFC 4180, header row) and `ndjson` (one JSON object a line). */
export type ExportFormat = 'csv' | 'ndjson';

/** The columns of an export, in order: the CSV header row and the NDJSON keys. */
export const EXPORT_COLUMNS = [
  'articleId',
  'headline',
  'date',
  'authors',
  'source',
  'section',
  'url',
  'score',
  'snippet',
  'paragraphId',
  'paragraphUrl',
  'duplicateGroup',
] as const;

/** One exported record, as NDJSON writes it (absent values null, `authors` an array): a row with `headline` for `title`, and the paragraph's URL. */
export type ExportRecord = Omit<ExportRow, 'title' | 'tags' | 'paragraphIndex'> & {
  headline: string;
  paragraphUrl: string | null;
};

/**
 * The record of a row. `paragraphUrl` opens the article at that paragraph on the search page
 * (`<pageUrl>?q=…&article=…#p<index>`, the query kept so its words are marked); null without a paragraph.
 */
export function exportRecord(row: ExportRow, q: string, pageUrl: string): ExportRecord {
  let paragraphUrl: string | null = null;
  if (row.paragraphIndex !== null) {
    const params = new URLSearchParams();
    if (q.trim() !== '') params.set('q', q.trim());
    params.set('article', row.articleId);
    paragraphUrl = `${pageUrl}?${params}#p${row.paragraphIndex}`;
  }
  const { title, tags: _tags, paragraphIndex: _index, ...rest } = row;
  // Keys in column order, as the CSV header: NDJSON readers see the same sequence.
  const record = { ...rest, headline: title, paragraphUrl };
  return Object.fromEntries(EXPORT_COLUMNS.map((column) => [column, record[column]])) as ExportRecord;
}

/** The text before the first record: the CSV header row; nothing for NDJSON. */
export function exportHeader(format: ExportFormat): string {
  return format === 'csv' ? csvRecord(EXPORT_COLUMNS) : '';
}

/** One record as a CSV line (authors joined by `; `) or an NDJSON line, each ending its line. */
export function formatRecord(record: ExportRecord, format: ExportFormat): string {
  if (format === 'ndjson') return `${JSON.stringify(record)}\n`;
  return csvRecord(EXPORT_COLUMNS.map((column) => (column === 'authors' ? record.authors.join('; ') : record[column])));
}
