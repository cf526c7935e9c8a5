import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseArgs, USAGE } from '../src/cli/parse-args.js';
import { SETTINGS, SWITCHES, shownDefault, type Setting } from '../src/cli/settings-table.js';
import { DEFAULT_CORPUS_LIMITS, MIB } from '../src/corpus/corpus-limits.js';
import { DEFAULT_BUFFER_PARAGRAPHS } from '../src/index/index-writer.js';

const OPERATIONS = new URL('../docs/OPERATIONS.md', import.meta.url);

/** The rows of the configuration table of docs/OPERATIONS.md: variable, flag, default, with backticks removed. */
function documentedRows(): string[][] {
  const text = readFileSync(OPERATIONS, 'utf8');
  const section = text.slice(
    text.indexOf('## Configuration'),
    text.indexOf('\n## ', text.indexOf('## Configuration') + 1),
  );
  return section
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| variable') && !line.startsWith('| ---'))
    .map((line) =>
      line
        .split(' | ')
        .slice(0, 3)
        .map((cell) => cell.replace(/^\| /, '').replaceAll('`', '').trim()),
    );
}

const settings = Object.values(SETTINGS as Record<string, Setting>);

describe('the settings table', () => {
  it("is what docs/OPERATIONS.md's configuration table lists: every variable, flag and default, and nothing else", () => {
    const expected = [
      ...settings.map((s) => [s.env, `${s.flag} ${s.arg}`, shownDefault(s)]),
      ...Object.values(SWITCHES).map((s) => ['—', s.flag, 'off']),
    ];
    const sort = (rows: string[][]) => rows.map((row) => row.join(' | ')).sort();
    expect(sort(documentedRows())).toEqual(sort(expected));
  });

  it('gives the usage text every flag with its variable and default', () => {
    for (const s of settings) expect(USAGE).toContain(`(${s.env}, default ${shownDefault(s)})`);
    for (const s of Object.values(SWITCHES)) expect(USAGE).toContain(s.flag);
  });

  it('makes the defaults parseArgs returns with nothing set', () => {
    expect(parseArgs([], {})).toMatchObject({
      corpusDir: 'corpus',
      cacheDir: 'index-cache',
      port: 3000,
      host: '127.0.0.1',
      adminPort: null,
      workers: 1,
      queryCache: 1000,
      maxFileBytes: 32 * 1024 * 1024,
      followOutsideLinks: false,
      journalDir: 'corpus/.journal',
      watch: true,
      verify: false,
    });
  });

  it("gives the command line the library's own defaults where a library has one", () => {
    expect(Number(SETTINGS.maxFileBytes.default) * MIB).toBe(DEFAULT_CORPUS_LIMITS.maxFileBytes);
    expect(SETTINGS.followOutsideLinks.parse('--symlinks', SETTINGS.followOutsideLinks.default)).toBe(
      DEFAULT_CORPUS_LIMITS.followOutsideLinks,
    );
    expect(Number(SETTINGS.bufferParagraphs.default)).toBe(DEFAULT_BUFFER_PARAGRAPHS);
  });

  it('reads every setting from its variable and from its flag, the flag winning', () => {
    const parsed = parseArgs(['--search-budget', '200'], { SEARCH_BUDGET_MS: '300', SEARCH_QUEUE: '7' });
    expect(parsed.searchBudgetMs).toBe(200);
    expect(parsed.searchQueue).toBe(7);
  });
});
