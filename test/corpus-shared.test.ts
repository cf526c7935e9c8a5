/**
 * Optional large-corpus check against the shared reference corpora, which live
 * outside the repository at `../shared/corpora` (relative to the repo root).
 * A fresh clone does not have them: the test then skips and says so.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readCorpus, type CorpusContents } from '../src/corpus/read-corpus.js';

const SHARED_CORPORA = fileURLToPath(new URL('../../shared/corpora/', import.meta.url));
const exists = existsSync(SHARED_CORPORA);
if (!exists) console.log('skipped: ../shared/corpora not found');

// Read once (about two seconds) and shared by the tests below.
let contents: Promise<CorpusContents> | undefined;
const loadShared = (): Promise<CorpusContents> => (contents ??= readCorpus(SHARED_CORPORA));

describe('readCorpus on the shared reference corpora', () => {
  it.skipIf(!exists)(
    'loads 2,095 BBC + 19,042 Reuters = 21,137 articles, with only explained extras and problems',
    async () => {
      const { articles, problems, files } = await loadShared();
      const bbc = articles.filter((article) => article.file.startsWith('bbc/'));
      const reuters = articles.filter((article) => article.file === 'reuters-21578.ndjson');
      expect(bbc).toHaveLength(2095);
      expect(reuters).toHaveLength(19_042);
      expect(bbc.length + reuters.length).toBe(21_137);

      // The other two articles: the seed, and the folder's README.md, which is a
      // Markdown file like any other as far as the reader can tell.
      expect(
        articles.filter((article) => !bbc.includes(article) && !reuters.includes(article)).map((a) => a.id),
      ).toEqual(['README', 'seed/haiti-soldiers-mexico-training']);
      // The one problem: the BBC licence file has no extension.
      expect(problems).toEqual([
        { kind: 'not_an_article', file: 'bbc/LICENSE', message: 'not an article: no file extension' },
      ]);
      // 2,095 BBC files, the NDJSON, the seed and the README.
      expect(files).toHaveLength(2098);
    },
  );

  it.skipIf(!exists)('reads BBC headlines and sections, and Reuters metadata, without wire signatures', async () => {
    const { articles } = await loadShared();
    const shell = articles.find((article) => article.id === 'bbc/business/1m-payoff-for-former-shell-boss');
    expect(shell).toMatchObject({
      title: '$1m payoff for former Shell boss',
      section: 'business',
      source: null,
      date: null,
    });
    expect(shell?.paragraphs).toHaveLength(4);

    const cocoa = articles.find((article) => article.id === 'reuters-1');
    expect(cocoa).toMatchObject({
      title: 'Bahia Cocoa Review',
      date: '1987-02-26T15:01:01Z',
      source: 'Reuters',
      tags: ['cocoa', 'el-salvador', 'usa', 'uruguay'],
    });

    const reuters = articles.filter((article) => article.file === 'reuters-21578.ndjson');
    // About 4,700 bodies end in a "REUTER" signature in some spelling; none may survive.
    // What remains ending in "Reuters." is prose: "…, the spokesman told Reuters."
    const signed = reuters.filter((article) => /\breuters?\b(?!\.$)\S*$/i.test(article.paragraphs.at(-1) ?? ''));
    expect(signed.map((article) => article.paragraphs.at(-1)?.slice(-40))).toEqual([]);
    expect(reuters.every((article) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(article.date ?? ''))).toBe(true);
  });
});
