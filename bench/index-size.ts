/**
 * Where the bytes of an index cache are: every file of the folder, and inside its
 * segment files the bytes of each section summed over segments, with each
 * collection's postings and positions split between word forms and stem terms
 * (`~…`). Reads the segment container only (`segment-file.ts`), so it reads a
 * cache of any segment format. Prints a Markdown table.
 *
 *   npx tsx bench/index-size.ts CACHE_DIR [FTS5_DB]
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readHeader, readSection, SectionSource, viewOf, viewOffsets } from '../src/index/segments/segment-file.js';

const [dir, fts] = process.argv.slice(2);
if (!dir) {
  console.error('usage: tsx bench/index-size.ts CACHE_DIR [FTS5_DB]');
  process.exit(2);
}

const rows = new Map<string, number>();
const add = (name: string, bytes: number) => rows.set(name, (rows.get(name) ?? 0) + bytes);
let segments = 0;
let total = 0;
let formatVersion = 0;
const counts = { pForms: 0, pStems: 0, tForms: 0, tStems: 0 };

/** Bytes of each term's range in an offsets table, summed for forms and stems. */
function splitByKind(
  termsUtf8: Buffer,
  termOffsets: Uint32Array,
  offsets: ArrayLike<number>,
): { forms: number; stems: number; formCount: number; stemCount: number } {
  const out = { forms: 0, stems: 0, formCount: 0, stemCount: 0 };
  for (let i = 0; i + 1 < termOffsets.length; i++) {
    const stem = termsUtf8[termOffsets[i]!] === 0x7e;
    const bytes = offsets[i + 1]! - offsets[i]!;
    if (stem) {
      out.stems += bytes;
      out.stemCount++;
    } else {
      out.forms += bytes;
      out.formCount++;
    }
  }
  return out;
}

for (const file of readdirSync(dir).sort()) {
  const path = join(dir, file);
  const size = statSync(path).size;
  total += size;
  if (!file.endsWith('.nrs')) {
    add(`file *${file.replace(/^[^.]*?(-\d+)?\./, '.').replace(/\.\d+\.del$/, '.del')}`, size);
    continue;
  }
  segments++;
  const source = SectionSource.ofFile(path);
  const header = readHeader<unknown>(source);
  formatVersion = header.formatVersion;
  let sections = 0;
  for (const [name, [, length]] of Object.entries(header.sections)) {
    sections += length;
    add(`section ${name}`, length);
  }
  add('segment header, padding', size - sections);
  for (const c of ['p', 't'] as const) {
    const utf8 = readSection(source, header.sections, `${c}.terms.utf8`);
    const off = viewOf(readSection(source, header.sections, `${c}.terms.off`), Uint32Array);
    const post = viewOffsets(readSection(source, header.sections, `${c}.post.off`), off.length);
    const p = splitByKind(utf8, off, post);
    add(`  ${c}.postings of forms`, p.forms);
    add(`  ${c}.postings of stems`, p.stems);
    counts[`${c}Forms`] += p.formCount;
    counts[`${c}Stems`] += p.stemCount;
    if (header.sections[`${c}.pos.off`]) {
      const pos = viewOffsets(readSection(source, header.sections, `${c}.pos.off`), off.length);
      const q = splitByKind(utf8, off, pos);
      add(`  ${c}.positions of forms`, q.forms);
      add(`  ${c}.positions of stems`, q.stems);
    }
  }
  source.close();
}

const mb = (n: number) => (n / 1e6).toFixed(2);
console.log(`| ${dir}: ${segments} segments, format ${formatVersion} | bytes | MB | share |`);
console.log('| --- | ---: | ---: | ---: |');
for (const [name, bytes] of [...rows].sort((a, b) => (a[0] < b[0] ? -1 : 1)))
  console.log(`| ${name} | ${bytes} | ${mb(bytes)} | ${((100 * bytes) / total).toFixed(1)} % |`);
console.log(`| **all files** | ${total} | **${mb(total)}** | |`);
console.log(
  `\nterms, summed over segments: paragraphs ${counts.pForms} forms, ${counts.pStems} stems; headlines ${counts.tForms} forms, ${counts.tStems} stems`,
);
if (fts) {
  const ftsSize = statSync(fts).size;
  console.log(`FTS5 ${fts}: ${ftsSize} bytes (${mb(ftsSize)} MB); ours ÷ FTS5 = ${(total / ftsSize).toFixed(3)}`);
}
