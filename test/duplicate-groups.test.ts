import { describe, expect, it } from 'vitest';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Article } from '../src/corpus/article.js';
import type { ArchiveIndex } from '../src/index/archive-index.js';
import { buildIndex, IndexWriter } from '../src/index/index-writer.js';
import { contentSignature, estimateSimilarity } from '../src/index/content-signature.js';
import { duplicateGroupsOf, duplicateView } from '../src/index/duplicate-groups.js';
import { IndexCache } from '../src/index/index-cache.js';
import { diffParagraphs } from '../src/live/diff-paragraphs.js';
import { OTHER_STORY, REWRITE, WIRE_STORY } from './helpers/wire-stories.js';

const article = (id: string, story: { title: string; date: string; body: string }): Article => ({
  id,
  title: story.title,
  date: story.date,
  authors: [],
  source: null,
  section: null,
  url: null,
  tags: [],
  paragraphs: story.body.split('\n\n'),
  file: `${id}.json`,
});

/**
 * A chain: story k has its first k paragraphs from another story and the rest from the wire's. Measured:
 * 0–1 share 0.75 of their shingles, 1–2 share 0.83, but 0–2 only 0.61 (under the default 0.7).
 */
function chain(): Article[] {
  const base = WIRE_STORY.body.split('\n\n');
  const extra = OTHER_STORY.body.split('\n\n');
  return [0, 1, 2].map((k) =>
    article(`chain-${k}`, {
      title: 'Chain report',
      date: `2026-05-1${k}`,
      body: [...extra.slice(0, k), ...base.slice(k)].join('\n\n'),
    }),
  );
}

const ARTICLES = [article('wire', WIRE_STORY), article('rewrite', REWRITE), article('other', OTHER_STORY)];

/** The groups as lists of ids (each earliest first), in order of their first id. */
function groupsOf(index: ArchiveIndex): string[][] {
  const view = duplicateView(index);
  return view.members
    .map((ords) => ords.map((ord) => index.articleMeta(ord).id))
    .sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
}

describe('content signatures and duplicate groups', () => {
  it('estimate the share of 5-word shingles two stories have in common', () => {
    const wire = contentSignature(article('wire', WIRE_STORY));
    // 11 of 12 paragraphs shared: about 0.8 of the shingles (the headline and lead differ).
    expect(estimateSimilarity(wire, contentSignature(article('rewrite', REWRITE)))).toBeGreaterThan(0.7);
    // Same subject, no sentence in common.
    expect(estimateSimilarity(wire, contentSignature(article('other', OTHER_STORY)))).toBeLessThan(0.1);
    expect(estimateSimilarity(wire, wire)).toBe(1);
  });

  it('are the same however the archive is cut into segments or updated', () => {
    const all = [...ARTICLES, ...chain()];
    const whole = groupsOf(buildIndex(all));
    // The wire's story, its rewrite and the chain (whose first story is the wire's text under another headline) are one group, earliest first.
    expect(whole).toEqual([['chain-0', 'chain-1', 'chain-2', 'wire', 'rewrite']]);
    expect(groupsOf(buildIndex(all, { segmentArticles: 1 }))).toEqual(whole);
    // Built without the rewrite, then the rewrite added, a chain story removed and added back.
    const writer = new IndexWriter();
    const first = all.filter((a) => a.id !== 'rewrite');
    for (let i = 0; i < first.length; i += 2) {
      writer.addNewArticles(first.slice(i, i + 2));
      writer.flush();
    }
    groupsOf(writer.refresh());
    writer.addArticles([all[1]!]);
    writer.refresh();
    writer.deleteArticles(['chain-1']);
    groupsOf(writer.refresh());
    writer.addArticles([all.find((a) => a.id === 'chain-1')!]);
    expect(groupsOf(writer.refresh())).toEqual(whole);
  });

  it('are kept by the index, not the reader: a write updates the groups its new reader sees, equal to a fresh build', () => {
    const all = [...ARTICLES, ...chain()];
    const writer = new IndexWriter();
    writer.addArticles(all.filter((a) => a.id !== 'rewrite'));
    const before = writer.refresh();
    const groups = duplicateGroupsOf(before);
    groupsOf(before);
    writer.addArticles([all.find((a) => a.id === 'rewrite')!]);
    const after = writer.refresh();
    // The same object follows the index from reader to reader (only the new segment is added to it).
    expect(duplicateGroupsOf(after)).toBe(groups);
    expect(groupsOf(after)).toEqual(groupsOf(buildIndex(all)));
  });

  it('follow an article written again unchanged into a new segment, comparing later articles with it there', () => {
    const writer = new IndexWriter();
    writer.addArticles([article('wire', WIRE_STORY), article('other', OTHER_STORY)]);
    expect(groupsOf(writer.refresh())).toEqual([]);
    // The same text again, second in a new segment: it only moves (its old copy deleted, its links kept).
    writer.deleteArticles(['wire']);
    writer.addArticles([article('filler', { ...OTHER_STORY, title: 'Filler' }), article('wire', WIRE_STORY)]);
    writer.refresh();
    writer.deleteArticles(['other']);
    writer.refresh();
    // A rewrite now finds the wire's story through its new place, and the groups equal a fresh build's.
    writer.addArticles([article('rewrite', REWRITE)]);
    const index = writer.refresh();
    expect(groupsOf(index)).toEqual([['wire', 'rewrite']]);
    expect(groupsOf(index)).toEqual(
      groupsOf(
        buildIndex([
          article('filler', { ...OTHER_STORY, title: 'Filler' }),
          article('wire', WIRE_STORY),
          article('rewrite', REWRITE),
        ]),
      ),
    );
  });

  it('are built a batch at a time when warmed, answering meanwhile, and end as a full build does', async () => {
    const many = Array.from({ length: 1200 }, (_, i) => ({
      ...ARTICLES[0]!,
      id: `filler-${i}`,
      title: `Filler ${i}`,
      paragraphs: [`Unrelated filler story number ${i} about ${i * 7} things, told in its own words ${i}.`],
    }));
    const all = [...many, ...ARTICLES, ...chain()];
    const index = buildIndex(all, { segmentArticles: 400 });
    const warming = duplicateGroupsOf(index).warm(index);
    // Not finished: the first batch is in, the rest waits for the event loop; a view answers with what is there.
    expect(duplicateView(index).members).toEqual([]);
    await warming;
    expect(groupsOf(index)).toEqual(groupsOf(buildIndex(all)));
  });

  it('link a chain through its middle story, and split it when that story is taken down', () => {
    const writer = new IndexWriter();
    writer.addArticles(chain());
    expect(groupsOf(writer.refresh())).toEqual([['chain-0', 'chain-1', 'chain-2']]);
    writer.deleteArticles(['chain-1']);
    // chain-0 and chain-2 share 0.61 of their shingles: under the threshold, so no group is left.
    expect(groupsOf(writer.refresh())).toEqual([]);
  });
});

describe('duplicate groups of an index on disk', () => {
  it('read signatures from the side files once built, and stay a fresh build through writes, a merge and a commit that removes the merged files', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'nrs-groups-disk-'));
    try {
      const fillers = Array.from({ length: 30 }, (_, i) =>
        article(`filler-${i}`, {
          title: `Filler ${i}`,
          date: '2026-04-01',
          body: `Unrelated filler story number ${i} about ${i * 7} things, told in its own words ${i}.`,
        }),
      );
      const all = [...fillers, ...ARTICLES, ...chain()];
      const rewrite = all.find((a) => a.id === 'rewrite')!;
      const middle = all.find((a) => a.id === 'chain-1')!;
      const writer = new IndexWriter({ directory: new IndexCache(dir) });
      const first = all.filter((a) => a !== rewrite);
      for (let i = 0; i < first.length; i += 3) {
        writer.addArticles(first.slice(i, i + 3));
        writer.refresh();
      }
      const index = writer.reader;
      const groups = duplicateGroupsOf(index);
      await groups.warm(index);
      expect(groupsOf(index)).toEqual(groupsOf(buildIndex(first)));
      // Read back from the side file, as `GET /articles/{id}/duplicates` reads it.
      expect(Array.from(groups.signatureOf(index, index.ordOf('wire'))!)).toEqual(
        Array.from(contentSignature(article('wire', WIRE_STORY))),
      );
      writer.addArticles([rewrite]);
      writer.deleteArticles(['chain-1']);
      expect(groupsOf(writer.refresh())).toEqual(groupsOf(buildIndex(all.filter((a) => a !== middle))));
      const segmentsBefore = writer.reader.segments.length;
      await writer.mergeAsPolicyAsks();
      expect(writer.reader.segments.length).toBeLessThan(segmentsBefore);
      // The commit removes the merged segments' files: their signatures are read from files still open.
      const commit = writer.commit({ corpus: { files: [], problems: [] } })!;
      expect((await readdir(dir)).filter((name) => name.endsWith('.sig')).length).toBe(commit.segments.length);
      expect(groupsOf(writer.reader)).toEqual(groupsOf(buildIndex(all.filter((a) => a !== middle))));
      writer.addArticles([middle]);
      writer.deleteArticles(['wire']);
      expect(groupsOf(writer.refresh())).toEqual(groupsOf(buildIndex(all.filter((a) => a.id !== 'wire'))));
      writer.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('paragraph diff', () => {
  it('keeps equal paragraphs, pairs a changed one as edited, and lists the rest as added or removed', () => {
    const before = ['Lead.', 'The terminal will cost forty million euros.', 'Old closing line that goes.'];
    const after = [
      'Lead.',
      'The terminal will cost forty-six million euros.',
      'A new paragraph about something else entirely, fresh.',
    ];
    expect(diffParagraphs(before, after)).toEqual([
      { op: 'same', text: 'Lead.' },
      {
        op: 'edited',
        text: 'The terminal will cost forty-six million euros.',
        previous: 'The terminal will cost forty million euros.',
      },
      { op: 'removed', text: 'Old closing line that goes.' },
      { op: 'added', text: 'A new paragraph about something else entirely, fresh.' },
    ]);
  });
});
