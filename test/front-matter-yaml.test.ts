import { describe, expect, it } from 'vitest';
import { MAX_ALIAS_COUNT, MAX_FRONT_MATTER_CHARS, parseFrontMatter } from '../src/corpus/parse-front-matter.js';
import { parseArticleFile } from '../src/corpus/parse-article-file.js';

const file = (...lines: string[]): string => lines.join('\n');

describe('front matter read as YAML (core schema)', () => {
  it('joins a folded title (`>-`) and keeps a literal summary (`|`) line by line, as Hugo and Jekyll write them', () => {
    const result = parseFrontMatter(
      file(
        '---',
        'title: >-',
        '  Floods displace thousands',
        '  along the river',
        'summary: |',
        '  First line.',
        '  Second line.',
        '---',
        'Body',
      ),
    );
    expect(result.problems).toEqual([]);
    expect(result.data['title']).toBe('Floods displace thousands along the river');
    expect(result.data['summary']).toBe('First line.\nSecond line.\n');
    expect(result.body).toBe('Body');
    expect(result.bodyLine).toBe(9);
  });

  it('gives an article the folded title, with no problem line, where the hand parser gave the title ">-"', () => {
    const result = parseArticleFile(
      'features/long.md',
      Buffer.from(file('---', 'title: >-', '  A long title', '  on two lines', '---', 'The body.')),
    );
    expect(result.problems).toEqual([]);
    expect(result.articles[0]!.title).toBe('A long title on two lines');
  });

  it('reads flow and block lists, quoted strings with their escapes, and skips comments', () => {
    const result = parseFrontMatter(
      file(
        '---',
        '# a comment line',
        'tags: [floods, "river, delta", \'aid\']  # trailing comment',
        'authors:',
        '  - Ann Lee',
        '  - "Bo \\"B\\" Chan"',
        'source: "Valley\\tTimes \\u00e9"',
        "note: 'it''s'",
        'plain: C# news # a comment',
        '---',
      ),
    );
    expect(result.problems).toEqual([]);
    expect(result.data).toEqual({
      tags: ['floods', 'river, delta', 'aid'],
      authors: ['Ann Lee', 'Bo "B" Chan'],
      source: 'Valley\tTimes é',
      note: "it's",
      plain: 'C# news',
    });
    expect(result.keyLines).toEqual({ tags: 3, authors: 4, source: 7, note: 8, plain: 9 });
  });

  it('keeps numbers and booleans as written, and reads an empty value as an empty list', () => {
    const result = parseFrontMatter(file('---', 'id: 007', 'section: 2024', 'draft: true', 'tags:', '---'));
    expect(result.data).toEqual({ id: '007', section: '2024', draft: 'true', tags: [] });
  });

  it('reports an alias bomb in one line and expands nothing', () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]',
      'title: [*d, *d, *d, *d, *d, *d, *d, *d, *d]',
    ];
    const result = parseFrontMatter(file('---', ...bomb, '---', 'Body'));
    expect(result.data).toEqual({});
    expect(result.problems).toEqual([
      { line: 1, message: `front matter: more than ${MAX_ALIAS_COUNT} alias expansions; ignored` },
    ]);
    expect(result.body).toBe('Body');
  });

  it('follows a few aliases, within the limit', () => {
    const result = parseFrontMatter(file('---', 'author: &who Ann Lee', 'byline: *who', '---'));
    expect(result.data).toEqual({ author: 'Ann Lee', byline: 'Ann Lee' });
  });

  it('ignores front matter over the size limit and says so, keeping the body', () => {
    const result = parseFrontMatter(file('---', `title: ${'x'.repeat(MAX_FRONT_MATTER_CHARS)}`, '---', 'Body'));
    expect(result.data).toEqual({});
    expect(result.problems).toEqual([{ line: 1, message: 'front matter: over 16,384 characters; ignored' }]);
    expect(result.body).toBe('Body');
  });

  it('reports a line YAML does not understand and keeps the keys around it', () => {
    const result = parseFrontMatter(file('---', 'title: Kept', 'mood this line is not yaml', '---'));
    expect(result.data).toEqual({ title: 'Kept' });
    expect(result.problems).toEqual([
      { line: 3, message: 'front matter: line not understood: "mood this line is not yaml"' },
    ]);
  });

  it('reports a map where a string or a list belongs, and ignores it', () => {
    const result = parseFrontMatter(file('---', 'author:', '  name: Ann', 'title: T', '---'));
    expect(result.data).toEqual({ title: 'T' });
    expect(result.problems).toEqual([
      { line: 2, message: 'front matter: "author" should be a string or a list of strings; ignored' },
    ]);
  });

  it('refuses front matter that is a list rather than keys and values', () => {
    expect(parseFrontMatter(file('---', '- a', '- b', '---')).problems).toEqual([
      { line: 2, message: 'front matter: not a list of "key: value" lines; ignored' },
    ]);
  });
});
