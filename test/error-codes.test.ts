import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, isErrorCode } from '../src/error-codes.js';
import { STATUS_BY_CODE } from '../src/http/error-status.js';

const SRC = new URL('../src/', import.meta.url).pathname;
/** The two files that list every code; a code must be used somewhere else to count as thrown. */
const LISTS = new Set(['error-codes.ts', path.join('http', 'error-status.ts')]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

const sources = sourceFiles(SRC)
  .filter((file) => !LISTS.has(path.relative(SRC, file)))
  .map((file) => ({ file: path.relative(SRC, file), text: readFileSync(file, 'utf8') }));

/**
 * Codes written where an error is made or sent: `new SearchError('x'`,
 * `sendError(res, 'x'`, `code: 'x'`, and every literal of a `const code: ErrorCode = …` line.
 */
function codesUsed(): Map<string, string> {
  const found = new Map<string, string>();
  const patterns = [
    /new SearchError\(\s*'([a-z_]+)'/g,
    /sendError\(\s*\w+,\s*'([a-z_]+)'/g,
    /\bcode: '([a-z_]+)'/g,
    /super\('([a-z_]+)'/g,
  ];
  for (const { file, text } of sources) {
    for (const pattern of patterns) for (const match of text.matchAll(pattern)) found.set(match[1]!, file);
    for (const line of text.split('\n').filter((l) => /: ErrorCode = /.test(l))) {
      for (const match of line.matchAll(/'([a-z_]+)'/g)) found.set(match[1]!, file);
    }
  }
  return found;
}

describe('the error catalogue', () => {
  it('holds every code an error is made or sent with anywhere in src/', () => {
    const unknown = [...codesUsed()].filter(([code]) => !isErrorCode(code)).map(([code, file]) => `${code} (${file})`);
    expect(unknown).toEqual([]);
  });

  it('has no dead entry: each code is used in src/ outside the catalogue and the status table', () => {
    const dead = Object.keys(ERROR_CODES).filter((code) => !sources.some(({ text }) => text.includes(`'${code}'`)));
    expect(dead).toEqual([]);
  });

  it('finds the codes the HTTP server answers by itself and the one a corrupt index throws', () => {
    const used = codesUsed();
    for (const code of ['request_too_large', 'index_corrupt', 'invalid_search_page', 'route_not_found'])
      expect(used.has(code), code).toBe(true);
  });

  it('gives every code an HTTP status and a meaning, and the status table no other code', () => {
    expect(Object.keys(STATUS_BY_CODE).sort()).toEqual(Object.keys(ERROR_CODES).sort());
    for (const [code, meaning] of Object.entries(ERROR_CODES)) {
      expect(meaning.length, code).toBeGreaterThan(10);
      expect(STATUS_BY_CODE[code as keyof typeof ERROR_CODES]).toBeGreaterThanOrEqual(400);
    }
  });

  it('is listed in docs/API.md, each code with its status and meaning, and nothing else', () => {
    const api = readFileSync(new URL('../docs/API.md', import.meta.url), 'utf8');
    const rows = [...api.matchAll(/^\| `([a-z_]+)` \| (\d{3}) \| (.*) \|$/gm)].map(([, code, status, meaning]) => [
      code,
      Number(status),
      meaning,
    ]);
    const expected = Object.entries(ERROR_CODES).map(([code, meaning]) => [
      code,
      STATUS_BY_CODE[code as keyof typeof ERROR_CODES],
      meaning,
    ]);
    const byCode = (a: (string | number | undefined)[], b: (string | number | undefined)[]) =>
      String(a[0]).localeCompare(String(b[0]));
    expect(rows.sort(byCode)).toEqual(expected.sort(byCode));
  });

  it('answers every invalid_ code with 400, and no longer lists the code nothing throws', () => {
    for (const code of Object.keys(ERROR_CODES).filter((c) => c.startsWith('invalid_') && c !== 'invalid_argument')) {
      expect(STATUS_BY_CODE[code as keyof typeof ERROR_CODES], code).toBe(400);
    }
    expect(isErrorCode('unpublished_needs_admin')).toBe(false);
    expect(isErrorCode('index_changed')).toBe(true);
  });
});
