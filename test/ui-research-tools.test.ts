/**
 * The pure parts of the page's research tools, in Node: the advanced form's
 * fields written as a query, and the timeline's periods.
 */
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

interface Fields {
  all: string;
  phrase: string;
  nearA: string;
  nearB: string;
  nearDistance: number;
  any: string;
  none: string;
  title: string;
  author: string;
  section: string;
  nearUnit?: 'words' | 'sentence' | 'paragraph';
  lead?: string;
  atLeastWord?: string;
  atLeastCount?: number;
  person?: string;
  org?: string;
  place?: string;
}
interface Period {
  key: string;
  label: string;
  from: string;
  to: string;
  count: number;
}

const publicDir = join(fileURLToPath(new URL('.', import.meta.url)), '..', 'public');
const load = async <T>(name: string) => (await import(pathToFileURL(join(publicDir, name)).href)) as T;
const { queryFromFields } = await load<{ queryFromFields(fields: Fields): string }>('advanced-query.js');
const { periodsOf, MAX_MONTH_BARS } = await load<{
  periodsOf(months: Record<string, number>): Period[];
  MAX_MONTH_BARS: number;
}>('timeline.js');

interface DayHit {
  articleId: string;
  source: string | null;
  section: string | null;
  date: string | null;
  title: string;
}
const { shiftDay, orderForDay } = await load<{
  shiftDay(day: string, n: number): string;
  orderForDay(hits: DayHit[]): DayHit[];
}>('day-view.js');

const empty: Fields = {
  all: '',
  phrase: '',
  nearA: '',
  nearB: '',
  nearDistance: 5,
  any: '',
  none: '',
  title: '',
  author: '',
  section: '',
};

describe('the advanced form as a query', () => {
  it('writes every field in the syntax of the search box', () => {
    expect(
      queryFromFields({
        all: 'port strike',
        phrase: 'general "election"',
        nearA: 'flood',
        nearB: 'sudan',
        nearDistance: 5,
        any: 'kenya uganda',
        none: 'sport -football',
        title: 'dockers "pay deal"',
        author: 'Michael Ríos',
        section: 'world',
      }),
    ).toBe(
      'port strike "general election" flood NEAR/5 sudan (kenya OR uganda) -sport -football title:dockers title:"pay deal" author:"Michael Ríos" section:world',
    );
  });

  it('adds nothing for empty fields, and keeps a lone "any" word or near word bare', () => {
    expect(queryFromFields(empty)).toBe('');
    expect(queryFromFields({ ...empty, any: 'drought' })).toBe('drought');
    expect(queryFromFields({ ...empty, nearA: 'flood' })).toBe('flood');
    expect(queryFromFields({ ...empty, nearA: 'a', nearB: 'b', nearDistance: 500 })).toBe('a NEAR/50 b');
    expect(queryFromFields({ ...empty, all: 'unclosed "phrase here' })).toBe('unclosed "phrase here"');
  });

  it('writes the archivist fields: w/s or w/p instead of NEAR, lead:, atleastN:, person:, org:, place:', () => {
    expect(queryFromFields({ ...empty, nearA: 'gang', nearB: 'displaced', nearUnit: 'sentence' })).toBe(
      'gang w/s displaced',
    );
    expect(queryFromFields({ ...empty, nearA: 'haiti', nearB: 'displaced', nearUnit: 'paragraph' })).toBe(
      'haiti w/p displaced',
    );
    expect(queryFromFields({ ...empty, lead: 'haiti "gang violence"' })).toBe('lead:haiti lead:"gang violence"');
    expect(queryFromFields({ ...empty, atLeastWord: 'haiti', atLeastCount: 3 })).toBe('atleast3:haiti');
    expect(queryFromFields({ ...empty, atLeastWord: 'haiti', atLeastCount: 0 })).toBe('atleast3:haiti');
    expect(queryFromFields({ ...empty, person: 'Alix Didier Fils-Aimé', org: 'UN', place: 'Port-au-Prince' })).toBe(
      'person:"Alix Didier Fils-Aimé" org:UN place:Port-au-Prince',
    );
  });
});

describe('the timeline periods', () => {
  it('fills the months between the first and the last with zeros, with the dates each bar filters to', () => {
    const periods = periodsOf({ '2024-01': 2, '2024-03': 5 });
    expect(periods.map((p) => [p.key, p.count, p.from, p.to])).toEqual([
      ['2024-01', 2, '2024-01-01', '2024-01-31'],
      ['2024-02', 0, '2024-02-01', '2024-02-29'],
      ['2024-03', 5, '2024-03-01', '2024-03-31'],
    ]);
    expect(periods[1]!.label).toBe('February 2024');
  });

  it(`draws a span over ${MAX_MONTH_BARS} months by year`, () => {
    const periods = periodsOf({ '1987-03': 4, '1987-10': 1, '2025-07': 2 });
    expect(periods).toHaveLength(2025 - 1987 + 1);
    expect(periods[0]).toEqual({ key: '1987', label: '1987', from: '1987-01-01', to: '1987-12-31', count: 5 });
    expect(periods.at(-1)!.count).toBe(2);
  });
});

describe('browsing a day', () => {
  it('steps to the day before and after across months and years (UTC)', () => {
    expect(shiftDay('2025-07-25', 1)).toBe('2025-07-26');
    expect(shiftDay('2025-03-01', -1)).toBe('2025-02-28');
    expect(shiftDay('2024-12-31', 1)).toBe('2025-01-01');
  });

  it("orders a day's articles by source, then section (none last), then time and headline", () => {
    const hit = (
      articleId: string,
      source: string | null,
      section: string | null,
      date: string,
      title = articleId,
    ): DayHit => ({ articleId, source, section, date, title });
    const ordered = orderForDay([
      hit('r2', 'Reuters', 'world', '1987-03-02T10:00:00Z'),
      hit('b1', 'BBC', null, '1987-03-02T08:00:00Z'),
      hit('r1', 'Reuters', 'business', '1987-03-02T11:00:00Z'),
      hit('r0', 'Reuters', 'world', '1987-03-02T09:00:00Z'),
      hit('x', null, null, '1987-03-02T01:00:00Z'),
    ]);
    expect(ordered.map((h) => h.articleId)).toEqual(['b1', 'r1', 'r0', 'r2', 'x']);
  });
});
