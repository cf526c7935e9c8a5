/**
 * Rewrites the error catalogue's table in `docs/API.md` from `src/error-codes.ts`
 * and `src/http/error-status.ts` (by status, then in catalogue order), so adding
 * a code is one edit of the catalogue and one run of `npm run docs:errors`;
 * `test/error-codes.test.ts` fails while the table differs.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { ERROR_CODES, type ErrorCode } from '../src/error-codes.js';
import { STATUS_BY_CODE } from '../src/http/error-status.js';

const file = new URL('../docs/API.md', import.meta.url);
const HEADER = '| code | status | meaning |\n| --- | --- | --- |\n';
const codes = Object.keys(ERROR_CODES) as ErrorCode[];
const rows = codes
  .map((code, order) => ({ code, order, status: STATUS_BY_CODE[code] }))
  .sort((a, b) => a.status - b.status || a.order - b.order)
  .map(({ code, status }) => `| \`${code}\` | ${status} | ${ERROR_CODES[code]} |\n`)
  .join('');
const text = readFileSync(file, 'utf8');
const start = text.indexOf(HEADER);
if (start < 0) throw new Error(`docs/API.md has no table starting with ${JSON.stringify(HEADER)}`);
let end = start + HEADER.length;
while (text.startsWith('| `', end)) end = text.indexOf('\n', end) + 1;
writeFileSync(file, text.slice(0, start) + HEADER + rows + text.slice(end));
console.log(`docs/API.md: ${codes.length} error codes`);
