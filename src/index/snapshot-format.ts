import MiniSearch from 'minisearch';
import type { Article } from '../corpus/article.js';
import { ArchiveIndex, miniSearchOptions } from './archive-index.js';
import { loadState, type MiniSearchState } from './bulk-load.js';
import type { MiniSearchInternals } from './minisearch-internals.js';
import { forEachPosting, postingCount, pristinePostings } from './packed-term-data.js';

/**
 * The snapshot format: one binary file of typed-array sections that loads
 * without JSON-parsing or Map-building the postings.
 *
 *   bytes 0..7   magic `NRSNAP01`
 *   bytes 8..11  header length H (uint32 LE)
 *   12..12+H     header JSON: { formatVersion, sections: { name: [offset, length] }, meta }
 *   then each section at an 8-byte-aligned offset (so typed arrays can view it in place)
 *
 * A string list is two sections: `<name>.len` (Uint32 UTF-16 lengths) and
 * `<name>.utf8` (the strings concatenated). Integrity (truncation, bit flips) is
 * checked by the cache against the manifest's sha256 before decoding; decoding
 * still validates every length and offset, so a bad file fails with an error,
 * never with wrong results.
 */
export const SNAPSHOT_FORMAT_VERSION = 2;
const MAGIC = 'NRSNAP01';

interface Section {
  name: string;
  bytes: Uint8Array;
}

interface CollectionMeta {
  nextId: number;
  avgFieldLength: number;
  documentCount: number;
}

interface SnapshotMeta {
  paragraphs: CollectionMeta;
  titles: CollectionMeta;
  articles: number;
}

type ArticleRecord = [string, string, string | null, string[], string | null, string | null, string | null, string[], string, number];

function bytesOf(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

function stringListSections(name: string, strings: readonly string[]): Section[] {
  const joined = strings.join('');
  return [
    { name: `${name}.len`, bytes: bytesOf(Uint32Array.from(strings, (s) => s.length)) },
    { name: `${name}.utf8`, bytes: Buffer.from(joined, 'utf8') },
  ];
}

function collectionSections(prefix: string, internals: MiniSearchInternals): { sections: Section[]; meta: CollectionMeta } {
  const shortIds: number[] = [];
  const ids: string[] = [];
  const lengths: number[] = [];
  for (const [shortId, id] of internals._documentIds) {
    shortIds.push(shortId);
    ids.push(id);
    lengths.push(internals._fieldLength.get(shortId)?.[0] ?? 0);
  }
  const entries: [string, Map<number, Map<number, number>>][] = [];
  for (const entry of internals._index as unknown as Iterable<[string, Map<number, Map<number, number>>]>) entries.push(entry);
  entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  // Two passes: count, then copy (packed postings in one `set`, unpacked ones entry by entry).
  const offsets = new Uint32Array(entries.length + 1);
  let total = 0;
  entries.forEach(([, data], i) => {
    offsets[i] = total;
    total += postingCount(data, 0);
  });
  offsets[entries.length] = total;
  const docs = new Int32Array(total);
  const tfs = new Uint16Array(total);
  entries.forEach(([, data], i) => {
    let at = offsets[i]!;
    const packed = pristinePostings(data, 0);
    if (packed) {
      docs.set(packed.docs.subarray(packed.start, packed.end), at);
      tfs.set(packed.tfs.subarray(packed.start, packed.end), at);
      return;
    }
    forEachPosting(data, 0, (doc, tf) => {
      docs[at] = doc;
      tfs[at] = Math.min(tf, 0xffff);
      at++;
    });
  });
  return {
    sections: [
      { name: `${prefix}.shortIds`, bytes: bytesOf(Int32Array.from(shortIds)) },
      { name: `${prefix}.lengths`, bytes: bytesOf(Int32Array.from(lengths)) },
      ...stringListSections(`${prefix}.ids`, ids),
      ...stringListSections(`${prefix}.terms`, entries.map((e) => e[0])),
      { name: `${prefix}.offsets`, bytes: bytesOf(offsets) },
      { name: `${prefix}.docs`, bytes: bytesOf(docs) },
      { name: `${prefix}.tfs`, bytes: bytesOf(tfs) },
    ],
    meta: { nextId: internals._nextId, avgFieldLength: internals._avgFieldLength[0] ?? 0, documentCount: internals._documentCount },
  };
}

/** Encodes an index (articles and both MiniSearch instances) as a snapshot file's bytes. */
export function encodeSnapshot(index: ArchiveIndex): Buffer {
  // In id order (the index's article list), so loading needs no sort.
  const articles = index.articleList;
  const records: ArticleRecord[] = articles.map((a) => [a.id, a.title, a.date, a.authors, a.source, a.section, a.url, a.tags, a.file, a.paragraphs.length]);
  const paragraphs = collectionSections('paragraphs', index.paraInternals);
  const titles = collectionSections('titles', index.titleInternals);
  const ids = articles.map((a) => index.shortIds.get(a.id)!);
  const paragraphShortIds = new Int32Array(ids.reduce((n, x) => n + x.paragraphs.length, 0));
  let at = 0;
  for (const x of ids) {
    paragraphShortIds.set(x.paragraphs, at);
    at += x.paragraphs.length;
  }
  const sections: Section[] = [
    { name: 'articles.json', bytes: Buffer.from(JSON.stringify(records), 'utf8') },
    { name: 'articles.titleShortIds', bytes: bytesOf(Int32Array.from(ids, (x) => x.title)) },
    { name: 'articles.paragraphShortIds', bytes: bytesOf(paragraphShortIds) },
    ...stringListSections('paragraphText', articles.flatMap((a) => a.paragraphs)),
    ...paragraphs.sections,
    ...titles.sections,
  ];
  const meta: SnapshotMeta = { paragraphs: paragraphs.meta, titles: titles.meta, articles: articles.length };
  // Lay out sections after a header whose length depends on the offsets: iterate until stable.
  let headerLength = 0;
  let header = '';
  for (;;) {
    let at = align(12 + headerLength);
    const table: Record<string, [number, number]> = {};
    for (const s of sections) {
      table[s.name] = [at, s.bytes.byteLength];
      at = align(at + s.bytes.byteLength);
    }
    header = JSON.stringify({ formatVersion: SNAPSHOT_FORMAT_VERSION, sections: table, meta });
    const length = Buffer.byteLength(header);
    if (length === headerLength) break;
    headerLength = length;
  }
  const table = (JSON.parse(header) as { sections: Record<string, [number, number]> }).sections;
  const last = sections[sections.length - 1]!;
  const total = table[last.name]![0] + last.bytes.byteLength;
  const out = Buffer.alloc(total);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(headerLength, 8);
  out.write(header, 12, 'utf8');
  for (const s of sections) out.set(s.bytes, table[s.name]![0]);
  return out;
}

function align(n: number): number {
  return (n + 7) & ~7;
}

class SnapshotReader {
  private readonly table: Record<string, [number, number]>;
  readonly meta: SnapshotMeta;

  constructor(private readonly bytes: Buffer) {
    if (bytes.byteLength < 12 || bytes.toString('latin1', 0, 8) !== MAGIC) throw new Error('not a snapshot file (bad magic)');
    const headerLength = bytes.readUInt32LE(8);
    if (12 + headerLength > bytes.byteLength) throw new Error('snapshot header is truncated');
    const header = JSON.parse(bytes.toString('utf8', 12, 12 + headerLength)) as {
      formatVersion: number;
      sections: Record<string, [number, number]>;
      meta: SnapshotMeta;
    };
    if (header.formatVersion !== SNAPSHOT_FORMAT_VERSION) throw new Error(`snapshot format ${header.formatVersion} is not ${SNAPSHOT_FORMAT_VERSION}`);
    for (const [name, [offset, length]] of Object.entries(header.sections)) {
      if (!Number.isInteger(offset) || !Number.isInteger(length) || offset % 8 !== 0 || offset + length > bytes.byteLength) {
        throw new Error(`snapshot section ${name} is out of bounds`);
      }
    }
    this.table = header.sections;
    this.meta = header.meta;
  }

  private section(name: string): [number, number] {
    const entry = this.table[name];
    if (!entry) throw new Error(`snapshot section ${name} is missing`);
    return [this.bytes.byteOffset + entry[0], entry[1]];
  }

  int32(name: string): Int32Array {
    const [offset, length] = this.section(name);
    if (length % 4) throw new Error(`snapshot section ${name} has a bad length`);
    return new Int32Array(this.bytes.buffer, offset, length / 4);
  }

  uint32(name: string): Uint32Array {
    const [offset, length] = this.section(name);
    if (length % 4) throw new Error(`snapshot section ${name} has a bad length`);
    return new Uint32Array(this.bytes.buffer, offset, length / 4);
  }

  uint16(name: string): Uint16Array {
    const [offset, length] = this.section(name);
    if (length % 2) throw new Error(`snapshot section ${name} has a bad length`);
    return new Uint16Array(this.bytes.buffer, offset, length / 2);
  }

  text(name: string): string {
    const [offset, length] = this.section(name);
    return Buffer.from(this.bytes.buffer, offset, length).toString('utf8');
  }

  strings(name: string): string[] {
    const lengths = this.uint32(`${name}.len`);
    const joined = this.text(`${name}.utf8`);
    const out = new Array<string>(lengths.length);
    let at = 0;
    for (let i = 0; i < lengths.length; i++) {
      out[i] = joined.slice(at, at + lengths[i]!);
      at += lengths[i]!;
    }
    if (at !== joined.length) throw new Error(`snapshot string list ${name} does not add up`);
    return out;
  }
}

function readCollection(reader: SnapshotReader, prefix: string, meta: CollectionMeta): MiniSearchState {
  const state: MiniSearchState = {
    shortIds: reader.int32(`${prefix}.shortIds`),
    ids: reader.strings(`${prefix}.ids`),
    lengths: reader.int32(`${prefix}.lengths`),
    nextId: meta.nextId,
    avgFieldLength: meta.avgFieldLength,
    terms: reader.strings(`${prefix}.terms`),
    offsets: reader.uint32(`${prefix}.offsets`),
    docs: reader.int32(`${prefix}.docs`),
    tfs: reader.uint16(`${prefix}.tfs`),
  };
  const n = state.shortIds.length;
  if (state.ids.length !== n || state.lengths.length !== n || n !== meta.documentCount) throw new Error(`snapshot ${prefix} tables disagree`);
  if (state.offsets.length !== state.terms.length + 1 || state.offsets[state.terms.length] !== state.docs.length || state.tfs.length !== state.docs.length) {
    throw new Error(`snapshot ${prefix} postings disagree`);
  }
  for (let i = 1; i < state.offsets.length; i++) if (state.offsets[i]! < state.offsets[i - 1]!) throw new Error(`snapshot ${prefix} offsets decrease`);
  for (let i = 1; i < state.terms.length; i++) if (!(state.terms[i - 1]! < state.terms[i]!)) throw new Error(`snapshot ${prefix} terms are not sorted`);
  const nextId = meta.nextId;
  for (let i = 0; i < n; i++) if (state.shortIds[i]! < 0 || state.shortIds[i]! >= nextId) throw new Error(`snapshot ${prefix} short id out of range`);
  for (let i = 0; i < state.docs.length; i++) if (state.docs[i]! < 0 || state.docs[i]! >= nextId) throw new Error(`snapshot ${prefix} posting out of range`);
  return state;
}

/** Decodes snapshot bytes into an index. Throws on any inconsistency. */
export function decodeSnapshot(bytes: Buffer): ArchiveIndex {
  const reader = new SnapshotReader(bytes);
  const records = JSON.parse(reader.text('articles.json')) as ArticleRecord[];
  if (!Array.isArray(records) || records.length !== reader.meta.articles) throw new Error('snapshot article table disagrees');
  const texts = reader.strings('paragraphText');
  let at = 0;
  const articles: Article[] = records.map(([id, title, date, authors, source, section, url, tags, file, count]) => {
    const paragraphs = texts.slice(at, at + count);
    at += count;
    return { id, title, date, authors, source, section, url, tags, paragraphs, file };
  });
  if (at !== texts.length) throw new Error('snapshot paragraph table disagrees');
  const paragraphs = new MiniSearch(miniSearchOptions('text'));
  const titles = new MiniSearch(miniSearchOptions('title'));
  const states = [readCollection(reader, 'paragraphs', reader.meta.paragraphs), readCollection(reader, 'titles', reader.meta.titles)] as const;
  loadState(paragraphs, states[0]);
  loadState(titles, states[1]);
  const index = new ArchiveIndex(paragraphs, titles);
  index.adoptStates(states[0], states[1]);
  const titleShortIds = reader.int32('articles.titleShortIds');
  const paragraphShortIds = reader.int32('articles.paragraphShortIds');
  if (titleShortIds.length !== articles.length || paragraphShortIds.length !== texts.length) throw new Error('snapshot short id tables disagree');
  const liveSet = (state: MiniSearchState) => {
    const live = new Uint8Array(state.nextId);
    for (const id of state.shortIds) live[id] = 1;
    return live;
  };
  const paragraphLive = liveSet(states[0]);
  const titleLive = liveSet(states[1]);
  let next = 0;
  articles.forEach((article, i) => {
    const ids = paragraphShortIds.subarray(next, next + article.paragraphs.length);
    next += article.paragraphs.length;
    let ok = titleLive[titleShortIds[i]!] === 1;
    for (let k = 0; k < ids.length && ok; k++) ok = paragraphLive[ids[k]!] === 1;
    if (!ok) throw new Error('snapshot short ids point to no document');
    index.registerArticle(article, titleShortIds[i]!, ids);
  });
  index.refresh();
  return index;
}
