import { describe, expect, it } from 'vitest';
import { parseQuery, MAX_CLAUSES } from '../src/query/parse/parse-query.js';

const parse = (q: string, prefixLast = true) => parseQuery(q, { prefixLast });

describe('parseQuery', () => {
  it('takes words, quoted phrases, exclusions and OR', () => {
    const p = parse('haiti "internally displaced" -sudan -"gang violence" police OR army');
    expect(p.terms).toEqual(['haiti', 'police', 'army']);
    expect(p.phrases).toEqual(['internally displaced']);
    expect(p.excluded).toEqual(['sudan', 'gang violence']);
    expect(p.ignored).toEqual([]);
    expect(p.clauses).toHaveLength(3);
    expect(p.clauses[2]!.map((i) => (i.type === 'word' ? i.form : ''))).toEqual(['police', 'army']);
  });

  it('marks only the last bare word for prefix search, and not after a trailing space', () => {
    expect(parse('haiti gov').clauses[1]).toEqual([{ type: 'word', form: 'gov', prefix: true }]);
    expect(parse('haiti gov ').clauses[1]).toEqual([{ type: 'word', form: 'gov', prefix: false }]);
    expect(parse('haiti gov', false).clauses[1]).toEqual([{ type: 'word', form: 'gov', prefix: false }]);
    expect(parse('"haiti gov"').clauses[0]).toEqual([{ type: 'phrase', forms: ['haiti', 'gov'] }]);
  });

  it('turns a hyphenated word into a phrase of its parts', () => {
    expect(parse('Port-au-Prince').clauses).toEqual([[{ type: 'phrase', forms: ['port', 'au', 'prince'] }]]);
  });

  it('never fails: an unclosed quote, a dangling OR, a lone minus and punctuation are listed as ignored', () => {
    const p = parse('OR "unclosed words - && OR');
    expect(p.terms).toEqual(['unclosed', 'words']);
    expect(p.ignored).toEqual(['OR', '"', '-', '&&', 'OR']);
  });

  it('keeps a repeated word once, so `the` × 200 is one clause', () => {
    const p = parse(Array(200).fill('the').join(' '));
    expect(p.clauses).toHaveLength(1);
    expect(p.terms).toEqual(['the']);
  });

  it(`keeps at most ${MAX_CLAUSES} clauses and lists the rest as ignored`, () => {
    const words = Array.from({ length: 40 }, (_, i) => `w${i}`);
    const p = parse(words.join(' ') + ' ');
    expect(p.clauses).toHaveLength(MAX_CLAUSES);
    expect(p.ignored).toEqual(words.slice(MAX_CLAUSES));
  });

  it('normalizes query words with the shared analyzer', () => {
    expect(parse('Mexico’s U.S. CAFÉ').terms).toEqual(['mexico', 'u.s.', 'cafe']);
  });
});
