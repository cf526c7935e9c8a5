import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cp, mkdir, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { contentSignature, SIGNATURE_HASHES } from '../src/index/content-signature.js';
import { openIndex } from '../src/index/open-index.js';
import type { Segment } from '../src/index/segments/segment-reader.js';
import {
  openSegmentSignatures,
  openSignatureFile,
  signatureFileOf,
  writeArticleSignatures,
} from '../src/index/segments/signature-file.js';
import { seedArticle } from './fixtures/http/build-test-index.js';
import { SEED } from './helpers/service-process.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nrs-sigfile-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('content signature side files', () => {
  it('reads back what it wrote, and nothing from a file of another count or a damaged one', async () => {
    const articles = [seedArticle(), { ...seedArticle(), id: 'copy', paragraphs: ['A different story altogether.'] }];
    const file = path.join(dir, 'seg-000001.nrs');
    writeArticleSignatures(articles, file);
    const source = openSignatureFile(signatureFileOf(file), articles.length);
    const read = source?.array ?? null;
    source?.close();
    expect(read).not.toBeNull();
    expect(Array.from(read!.subarray(0, SIGNATURE_HASHES))).toEqual(Array.from(contentSignature(articles[0]!)));
    expect(Array.from(read!.subarray(SIGNATURE_HASHES))).toEqual(Array.from(contentSignature(articles[1]!)));
    // The header's fields are whole 32-bit values side by side: the article count is at byte 24.
    const bytes = await readFile(signatureFileOf(file));
    expect(bytes.readUInt32LE(24)).toBe(articles.length);
    expect(openSignatureFile(signatureFileOf(file), articles.length + 1)).toBeNull();
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 1;
    await writeFile(signatureFileOf(file), bytes);
    expect(openSignatureFile(signatureFileOf(file), articles.length)).toBeNull();
  });

  it('is written beside every segment a build makes, so opening the index computes none of them again', async () => {
    const corpusDir = path.join(dir, 'corpus');
    const cacheDir = path.join(dir, 'cache');
    await mkdir(corpusDir);
    await cp(SEED, path.join(corpusDir, 'seed.txt'));
    const opened = await openIndex({ corpusDir, cacheDir });
    expect(opened.index.segments.length).toBeGreaterThan(0);
    for (const segment of opened.index.segments) {
      expect(segment.path).not.toBeNull();
      const source = openSignatureFile(signatureFileOf(segment.path!), segment.articleCount);
      expect(source).not.toBeNull();
      source?.close();
    }
  });

  it('are read one article at a time from the open file once released, even after the file is removed', async () => {
    const corpusDir = path.join(dir, 'corpus');
    const cacheDir = path.join(dir, 'cache');
    await mkdir(corpusDir);
    await cp(SEED, path.join(corpusDir, 'seed.txt'));
    const opened = await openIndex({ corpusDir, cacheDir });
    const segment: Segment = opened.index.segments[0]!;
    const source = openSegmentSignatures(segment);
    const held = source.array!.slice();
    expect(held.length).toBe(segment.articleCount * SIGNATURE_HASHES);
    source.release();
    expect(source.array).toBeNull();
    await unlink(signatureFileOf(segment.path!));
    for (let i = segment.articleCount - 1; i >= 0; i--)
      expect(Array.from(source.read(i * SIGNATURE_HASHES))).toEqual(
        Array.from(held.subarray(i * SIGNATURE_HASHES, (i + 1) * SIGNATURE_HASHES)),
      );
    expect(Array.from(source.readAll(segment.articleCount))).toEqual(Array.from(held));
    source.close();
  });
});
