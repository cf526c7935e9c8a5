import { afterEach, describe, expect, it } from 'vitest';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Article } from '../src/corpus/article.js';
import { Journal, JOURNAL_FILE } from '../src/live/journal.js';

const dirs: string[] = [];
function folder(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nrs-journal-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const article = (id: string, text = `Text of ${id}.`): Article => ({
  id,
  title: id,
  date: null,
  authors: [],
  source: null,
  section: null,
  url: null,
  tags: [],
  paragraphs: [text],
  file: '(api)',
});

describe('the journal of writes', () => {
  it('numbers writes, keeps the latest per id, and reads them back after a reopen', async () => {
    const dir = folder();
    const journal = Journal.open(dir, { write: true });
    const records = await journal.append([
      { op: 'put', id: 'a', article: article('a') },
      { op: 'put', id: 'b', article: article('b') },
    ]);
    expect(records.map((r) => r.seq)).toEqual([1, 2]);
    await journal.append([{ op: 'delete', id: 'a', reason: 'legal' }]);
    await journal.append([{ op: 'put', id: 'c', article: article('c', 'Third.') }]);
    journal.close();
    const again = Journal.open(dir, { write: false });
    expect(again.lastSeq).toBe(4);
    expect(again.ids()).toEqual([
      { id: 'b', op: 'put', seq: 2 },
      { id: 'a', op: 'delete', seq: 3 },
      { id: 'c', op: 'put', seq: 4 },
    ]);
    expect(again.articleOf('c')?.paragraphs).toEqual(['Third.']);
    expect(again.articleOf('a')).toBeNull();
    expect(again.decides('a')).toBe(true);
    expect(again.changedSince(2)).toEqual(['a', 'c']);
    // A run of changes in steps: a later change of an id already in the step joins it.
    expect(again.changesAfter(0, 2)).toEqual({ ids: ['a', 'b'], upTo: 3 });
    expect(again.putIds()).toEqual(['b', 'c']);
    again.close();
  });

  it('cuts a torn last line (a crash mid-write) when a writer opens it, and goes on numbering', async () => {
    const dir = folder();
    const journal = Journal.open(dir, { write: true });
    await journal.append([{ op: 'put', id: 'a', article: article('a') }]);
    journal.close();
    appendFileSync(path.join(dir, JOURNAL_FILE), '{"seq":2,"at":"2026-01-01T00:00:00Z","op":"put","id":"b","arti');
    const reader = Journal.open(dir, { write: false });
    expect(reader.lastSeq).toBe(1);
    reader.close();
    const writer = Journal.open(dir, { write: true });
    expect(readFileSync(path.join(dir, JOURNAL_FILE), 'utf8').endsWith('\n')).toBe(true);
    expect((await writer.append([{ op: 'put', id: 'b', article: article('b') }]))[0]!.seq).toBe(2);
    writer.close();
    expect(Journal.open(dir, { write: false }).putIds()).toEqual(['a', 'b']);
  });

  it('lets a reader in another process follow what a writer appends', async () => {
    const dir = folder();
    const writer = Journal.open(dir, { write: true });
    const reader = Journal.open(dir, { write: false });
    await writer.append([{ op: 'put', id: 'x', article: article('x') }]);
    expect(reader.catchUp()).toEqual(['x']);
    expect(reader.articleOf('x')?.id).toBe('x');
    expect(reader.catchUp()).toEqual([]);
    writer.close();
    reader.close();
  });

  it('compacts superseded records at open, keeping epoch, numbers and latest records', async () => {
    const dir = folder();
    const journal = Journal.open(dir, { write: true });
    const epoch = journal.epoch;
    for (let round = 0; round < 4; round++)
      await journal.append(
        Array.from({ length: 500 }, (_, i) => ({
          op: 'put' as const,
          id: `id-${i}`,
          article: article(`id-${i}`, `Round ${round}.`),
        })),
      );
    journal.close();
    const before = readFileSync(path.join(dir, JOURNAL_FILE)).length;
    const compacted = Journal.open(dir, { write: true, compact: true });
    expect(readFileSync(path.join(dir, JOURNAL_FILE)).length).toBeLessThan(before / 3);
    expect(compacted.epoch).toBe(epoch);
    expect(compacted.lastSeq).toBe(2000);
    expect(compacted.articleOf('id-7')?.paragraphs).toEqual(['Round 3.']);
    expect((await compacted.append([{ op: 'delete', id: 'id-7' }]))[0]!.seq).toBe(2001);
    compacted.close();
  });

  it('refuses a file that is not a journal, with a message saying what to do', () => {
    const dir = folder();
    writeFileSync(path.join(dir, JOURNAL_FILE), 'hello\n');
    expect(() => Journal.open(dir, { write: true })).toThrow(/move it aside/);
  });
});
