import { EXPORT_COLUMNS } from '../../export/format-export.js';
import { EXPORT_PARAMETERS } from '../read-export-params.js';
import { openApiParameter } from './param-schema.js';
import { badQueryString, commonErrors, errorResponse } from './responses.js';

const DESCRIPTIONS: Record<string, string> = {
  format:
    '`csv`: RFC 4180, UTF-8 (no byte-order mark), CRLF line ends, a header row; `ndjson`: one JSON object a line.',
  groupBy: '`article`: one row per article, with its best paragraph; `none`: one row per matching paragraph.',
  cropLength: 'Snippet length in words, as in `/search`.',
};

/** `GET /search/export` in the OpenAPI document. */
export const exportPath = {
  get: {
    operationId: 'exportSearch',
    summary: 'Every hit of a search, as CSV or NDJSON',
    description:
      'Runs the search of `/search` (same query, matching options, filters, `sort` and `recencyHalfLife`; no paging, no facets) and streams every hit, ' +
      'past the 1,000-hit cap of `/search`, in the order `/search` pages them: one row per article (`groupBy=article`) or per ' +
      `paragraph (\`groupBy=none\`). Columns (CSV header row, NDJSON keys): ${EXPORT_COLUMNS.map((c) => `\`${c}\``).join(', ')}: ` +
      '`authors` joined by `; ` in CSV (an array in NDJSON), absent values empty in CSV (`null` in NDJSON), `snippet` the best ' +
      'matching paragraph as plain text (`…` where cut), `paragraphUrl` the search page opened at that paragraph. In CSV a text ' +
      "cell starting with `=`, `+`, `-`, `@`, tab or CR is prefixed with `'` so spreadsheets do not run it as a formula. " +
      'The query runs once, without the per-search time budget; rows are then streamed in slices, yielding to other requests, ' +
      'and stop when the client disconnects. If the index changes during the stream the connection is cut (an incomplete response). ' +
      'At most 2 exports run at once per process.',
    parameters: EXPORT_PARAMETERS.map((spec) =>
      openApiParameter(spec, DESCRIPTIONS[spec.name] ?? `As in \`/search\`.`),
    ),
    responses: {
      '200': {
        description:
          'The rows, streamed. Headers: `Content-Disposition: attachment; filename="newsroom-export-<query words>-<date>.<csv|ndjson>"`, ' +
          '`X-Total-Hits` (rows that follow), `X-Exhaustive` (`false` when the bound on phrase checks left candidates unchecked).',
        content: {
          'text/csv': { schema: { type: 'string' } },
          'application/x-ndjson': { schema: { type: 'string' } },
        },
      },
      '400': errorResponse(
        badQueryString +
          '`invalid_export_format`, and the codes of `/search` for its parameters (`invalid_search_q`, `invalid_search_group_by`, `invalid_search_crop_length`, ' +
          '`invalid_search_matching_strategy`, `invalid_search_prefix`, `invalid_search_typos`, `invalid_search_feedback`, `invalid_search_from`, ' +
          '`invalid_search_to`, `invalid_search_filter`, `invalid_search_sort`, `invalid_search_recency_half_life`).',
      ),
      ...commonErrors,
      '503': errorResponse(
        'The index is loading (`index_loading`), or the service is overloaded (`overloaded`: the search queue is full, or 2 exports already run). Type `system`.',
      ),
    },
  },
} as const;
