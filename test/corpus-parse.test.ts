import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { Article } from '../src/corpus/article.js';
import { parseArticleFile } from '../src/corpus/parse-article-file.js';

/** Parses a fixture file under test/fixtures/corpus/ with its corpus-relative path. */
async function parseFixture(relPath: string): Promise<ReturnType<typeof parseArticleFile>> {
  return parseArticleFile(relPath, await readFile(new URL(`./fixtures/corpus/${relPath}`, import.meta.url)));
}

/** The one article a single-article input must give. */
function only(result: ReturnType<typeof parseArticleFile>): Article {
  expect(result.articles).toHaveLength(1);
  return result.articles[0]!;
}

const text = (content: string): Buffer => Buffer.from(content, 'utf8');

describe('parseArticleFile: .txt in the seed shape', () => {
  it('reads several authors and the source from the header, derives a cut title and drops boilerplate', async () => {
    const result = await parseFixture('cnn/markets-rally.txt');
    expect(result.problems).toEqual([]);
    expect(only(result)).toEqual<Article>({
      id: 'cnn/markets-rally',
      // The lead sentence is 157 units: cut at a word boundary, within 120 units, ending in "…".
      title:
        'Stock markets across Asia rallied on Friday after a week of steep losses, as investors who had fled to bonds and gold…',
      date: '2024-03-08',
      authors: ['Ana Lopez', 'Tom Reed'],
      source: 'CNN',
      section: 'cnn',
      url: null,
      tags: [],
      paragraphs: [
        '(CNN) — Stock markets across Asia rallied on Friday after a week of steep losses, as investors who had fled to bonds and gold returned in large numbers to buy shares.',
        "Tokyo's main index closed 2.1% higher.",
      ],
      file: 'cnn/markets-rally.txt',
    });
  });

  it('keeps the article but reports an impossible header date on line 1', async () => {
    const result = await parseFixture('notes/bad-date.txt');
    expect(result.problems).toEqual([
      { kind: 'bad_field', file: 'notes/bad-date.txt', line: 1, message: 'unparseable date "2024-02-30"' },
    ]);
    const article = only(result);
    expect(article.date).toBeNull();
    expect(article.authors).toEqual(['Kim Ode']);
    expect(article.source).toBe('AP');
  });

  it('reads a header without "By" as date and source only', () => {
    const article = only(parseArticleFile('x.txt', text('date 2025-01-02 AP\n\nIt snowed.\n')));
    expect(article).toMatchObject({ date: '2025-01-02', authors: [], source: 'AP', title: 'It snowed.' });
  });

  it('does not mistake a headline starting with "Date" for a header', () => {
    const article = only(parseArticleFile('x.txt', text('Date set for summit\n\nLeaders will meet in May.\n')));
    expect(article.title).toBe('Date set for summit');
    expect(article.date).toBeNull();
  });
});

describe('parseArticleFile: .txt in the BBC shape', () => {
  it('takes the first line as the headline and the folder as the section, with no date, byline or source', async () => {
    const result = await parseFixture('bbc/business/shell-payoff.txt');
    expect(result.problems).toEqual([]);
    expect(only(result)).toEqual<Article>({
      id: 'bbc/business/shell-payoff',
      title: 'Oil firm settles with former chief',
      date: null,
      authors: [],
      source: null,
      section: 'business',
      url: null,
      tags: [],
      paragraphs: [
        'The oil firm is to pay $2m to its former finance chief, who left after the company over-stated its reserves.',
        'She will keep her share options, the firm said.',
      ],
      file: 'bbc/business/shell-payoff.txt',
    });
  });

  it('handles a byte-order mark, CRLF line ends, trailing spaces and repeated blank lines', async () => {
    const article = only(await parseFixture('bbc/tech/windows-notes.txt'));
    expect(article.title).toBe('Laptop sales climb in spring');
    expect(article.paragraphs).toEqual([
      'Sales of laptops rose by a fifth in the spring, retailers said.',
      'Desktop sales fell.',
    ]);
  });
});

describe('parseArticleFile: .txt without a headline', () => {
  it('reads a first line with a sentence end followed by more text as body, deriving title and source from the dateline', async () => {
    const result = await parseFixture('notes/lead-only.txt');
    expect(result.problems).toEqual([]);
    const article = only(result);
    // "U.S." does not end the sentence; the dateline is not part of the title but stays in the text.
    expect(article.title).toBe('The U.S. Senate passed a farm bill on Tuesday.');
    expect(article.source).toBe('Reuters');
    expect(article.paragraphs).toEqual([
      'WASHINGTON (Reuters) - The U.S. Senate passed a farm bill on Tuesday. The vote was 68 to 31. Senators from both parties backed it.',
      'A conference with the House is expected next month.',
    ]);
  });

  it('reads a short first line that is not followed by a blank line as body', () => {
    const article = only(parseArticleFile('x.txt', text('Short opening line\ncontinues here.\n\nSecond paragraph.\n')));
    expect(article.title).toBe('Short opening line continues here.');
    expect(article.paragraphs).toEqual(['Short opening line continues here.', 'Second paragraph.']);
  });

  it('reads a one-sentence first line ending in a period as body, not as a headline', () => {
    const article = only(parseArticleFile('x.txt', text('The mayor resigned on Monday.\n\nShe gave no reason.\n')));
    expect(article.title).toBe('The mayor resigned on Monday.');
    expect(article.paragraphs).toHaveLength(2);
  });

  it('reads a first line longer than 200 characters as body', () => {
    const long = `${'Word '.repeat(45)}end`;
    const article = only(parseArticleFile('x.txt', text(`${long}\n\nNext.\n`)));
    expect(article.paragraphs).toEqual([long, 'Next.']);
    expect(article.title.endsWith('…')).toBe(true);
    expect(article.title.length).toBeLessThanOrEqual(120);
  });

  it('reads a single line of text as a body paragraph with a derived title', () => {
    const article = only(parseArticleFile('x.txt', text('Just one line here')));
    expect(article.title).toBe('Just one line here');
    expect(article.paragraphs).toEqual(['Just one line here']);
  });
});

describe('parseArticleFile: .md', () => {
  it('reads every front-matter field, converts the date to UTC and strips emphasis and links', async () => {
    const result = await parseFixture('features/river-cleanup.md');
    expect(result.problems).toEqual([]);
    expect(only(result)).toEqual<Article>({
      id: 'features/river-cleanup',
      title: 'Volunteers clear 2 tonnes of rubbish from the river',
      date: '2024-05-04T07:30:00Z',
      authors: ['Priya Shah', 'Leo Martin'],
      source: 'Riverside Gazette',
      section: 'local',
      url: 'https://example.org/river-cleanup',
      tags: ['environment', 'river'],
      paragraphs: [
        'About two hundred volunteers spent Saturday pulling rubbish from the river.',
        'The town council supplied gloves, bags and a skip.',
      ],
      file: 'features/river-cleanup.md',
    });
  });

  it('takes a leading "# Heading" as the title and keeps subheadings as paragraphs without markers', async () => {
    const article = only(await parseFixture('features/heading-title.md'));
    expect(article.title).toBe('Library reopens after flood repairs');
    expect(article.paragraphs).toEqual([
      'The library reopened on Monday after six months of repairs.',
      'What changed',
      'Shelves now stand on raised plinths, and the snake_case file names stay as they are.',
    ]);
  });

  it('splits a byline, reads comma-separated tags and a written-out date, and reports a line it does not understand', async () => {
    const result = await parseFixture('features/byline.md');
    expect(result.problems).toEqual([
      {
        kind: 'front_matter',
        file: 'features/byline.md',
        line: 6,
        message: 'front matter: line not understood: "mood this line is not yaml"',
      },
    ]);
    const article = only(result);
    expect(article.authors).toEqual(['Ann Lee', 'Bo Chan', 'Cy Dale']);
    expect(article.tags).toEqual(['budget', 'council']);
    expect(article.date).toBe('2024-03-08');
    expect(article.source).toBe('Valley Times');
  });

  it('reports an unparseable front-matter date on its line and leaves the date null', async () => {
    const result = await parseFixture('features/bad-date.md');
    expect(result.problems).toEqual([
      { kind: 'bad_field', file: 'features/bad-date.md', line: 3, message: 'unparseable date "next tuesday"' },
    ]);
    expect(only(result).date).toBeNull();
  });

  it('reads a file whose front matter is never closed as body, and says so', () => {
    const result = parseArticleFile('open.md', text('---\ntitle: Open\n\nBody text.\n'));
    expect(result.problems).toEqual([
      {
        kind: 'front_matter',
        file: 'open.md',
        line: 1,
        message: 'front matter not closed: no second "---" line; read as body',
      },
    ]);
    expect(only(result).paragraphs).toEqual(['--- title: Open', 'Body text.']);
  });

  it('reports a list where one value belongs and ignores it', () => {
    const result = parseArticleFile('list.md', text('---\ntitle: [A, B]\n---\nBody.\n'));
    expect(result.problems).toEqual([
      {
        kind: 'bad_field',
        file: 'list.md',
        line: 2,
        message: 'front matter: "title" should be one value, not a list; ignored',
      },
    ]);
    expect(only(result).title).toBe('Body.');
  });
});

describe('parseArticleFile: .json', () => {
  it('loads an array: numeric ids as strings, position ids for items without one, and reports an item without body', async () => {
    const result = await parseFixture('wires/items.json');
    expect(result.problems).toEqual([
      { kind: 'missing_body', file: 'wires/items.json', message: 'item 3: missing body' },
    ]);
    expect(result.articles.map((article) => article.id)).toEqual(['7', 'wires/items#2', 'wire-dup']);
    expect(result.articles[0]).toEqual<Article>({
      id: '7',
      title: 'Port strike ends',
      date: '2024-06-01',
      authors: ['Jo Park'],
      source: 'Wire Service',
      section: 'wires',
      url: null,
      tags: ['ports', 'labour'],
      paragraphs: ['Dock workers returned on Saturday.', 'Ships began unloading at dawn.'],
      file: 'wires/items.json',
    });
    expect(result.articles[1]!.paragraphs).toEqual(['Ferries will run every half hour.', 'Night sailings end.']);
  });

  it('loads a single object with the path as id and drops a trailing copyright paragraph', async () => {
    const article = only(await parseFixture('wires/single.json'));
    expect(article.id).toBe('wires/single');
    expect(article.date).toBe('2024-01-02T08:00:00Z');
    expect(article.section).toBe('transport');
    expect(article.paragraphs).toEqual(['Rail fares will not rise this year.']);
  });

  it('reports invalid JSON with the line of the error and loads nothing', async () => {
    const result = await parseFixture('wires/broken.json');
    expect(result.articles).toEqual([]);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ file: 'wires/broken.json', line: 4 });
    expect(result.problems[0]!.message).toMatch(/^invalid JSON: /);
  });

  it('reports fields of the wrong type and ignores them', () => {
    const result = parseArticleFile(
      'odd.json',
      text(JSON.stringify({ id: true, title: 5, tags: 'a, b', body: 'Text.' })),
    );
    expect(result.problems).toEqual([
      { kind: 'bad_field', file: 'odd.json', message: 'ignored field "id": expected a string or number; using "odd"' },
      { kind: 'bad_field', file: 'odd.json', message: 'ignored field "title": expected a string' },
    ]);
    const article = only(result);
    expect(article.id).toBe('odd');
    expect(article.title).toBe('Text.');
    expect(article.tags).toEqual(['a', 'b']);
  });

  it('reports a JSON value that is not an object', () => {
    expect(parseArticleFile('n.json', text('[1, "x"]')).problems).toEqual([
      { kind: 'not_an_article', file: 'n.json', message: 'item 1: not an article: expected a JSON object, got number' },
      { kind: 'not_an_article', file: 'n.json', message: 'item 2: not an article: expected a JSON object, got string' },
    ]);
  });
});

describe('parseArticleFile: .ndjson', () => {
  it('loads every good line, reporting bad JSON and missing bodies with their 1-based line', async () => {
    const result = await parseFixture('wires/feed.ndjson');
    expect(result.articles.map((article) => article.id)).toEqual(['reuters-101', 'wires/feed#5', 'wire-dup', '104']);
    expect(result.problems.map(({ line, message }) => [line, message.replace(/^(invalid JSON: ).*/, '$1…')])).toEqual([
      [3, 'invalid JSON: …'],
      [4, 'missing body'],
    ]);
  });

  it('reads a Reuters record: topics and places as tags, UTC time kept, "REUTER" signature paragraph dropped', async () => {
    const result = await parseFixture('wires/feed.ndjson');
    expect(result.articles[0]).toEqual<Article>({
      id: 'reuters-101',
      title: 'Cocoa Review',
      date: '1987-02-26T15:01:01Z',
      authors: [],
      source: 'Reuters',
      section: 'wires',
      url: null,
      tags: ['cocoa', 'brazil', 'usa'],
      paragraphs: ['Showers continued in the cocoa zone.', 'Arrivals were 155,221 bags.'],
      file: 'wires/feed.ndjson',
    });
  });

  it('strips a trailing " REUTER^M" word but keeps "told Reuter" at the end of a story', async () => {
    const result = await parseFixture('wires/feed.ndjson');
    expect(result.articles[1]!.paragraphs).toEqual(['Grain exports are expected to rise, the board said.']);
    expect(result.articles[3]!.paragraphs).toEqual(['Sugar prices closed higher, he told Reuter']);
  });

  it('accepts CRLF line ends and counts lines from 1', () => {
    const result = parseArticleFile('f.ndjson', text('{"id":"a","body":"A."}\r\n\r\n{"id":"b"}\r\n'));
    expect(result.articles.map((article) => article.id)).toEqual(['a']);
    expect(result.problems).toEqual([{ kind: 'missing_body', file: 'f.ndjson', line: 3, message: 'missing body' }]);
  });
});

describe('parseArticleFile: input that is not an article', () => {
  it.each([
    ['empty.txt', Buffer.alloc(0), 'empty', 'empty file'],
    ['blank.md', text(' \n\n\t\n'), 'empty', 'empty file'],
    ['nul.txt', Buffer.from([0x41, 0x00, 0x42]), 'not_an_article', 'not an article: binary file'],
    ['latin1.txt', Buffer.from([0x43, 0x61, 0x66, 0xe9]), 'invalid_utf8', 'invalid UTF-8'],
    ['sheet.xlsx', text('x'), 'not_an_article', 'not an article: unsupported extension .xlsx'],
    ['README', text('x'), 'not_an_article', 'not an article: no file extension'],
    ['draft.txt~', text('x'), 'not_an_article', 'not an article: editor temp file'],
  ])('reports %s as one problem of its kind and no article', (relPath, content, kind, message) => {
    expect(parseArticleFile(relPath, content)).toEqual({ articles: [], problems: [{ kind, file: relPath, message }] });
  });

  it('reads upper-case extensions and a BOM-prefixed JSON file', () => {
    const result = parseArticleFile('A.JSON', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), text('{"body":"Hi."}')]));
    expect(result.problems).toEqual([]);
    expect(only(result).id).toBe('A');
  });
});
