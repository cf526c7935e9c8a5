import { closeSync, readSync } from 'node:fs';
import { SIGNATURE_HASHES } from './content-signature.js';

/** Signatures read from a side file kept at most, by where they are read (about 140 bytes each). */
const READ_CACHE_ENTRIES = 4096;

/** Closes the file of a source no longer reachable that was not closed (an index dropped without closing its groups). */
const unclosed = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    // Already closed by the process's end.
  }
});

/**
 * Where the content signatures of one segment's articles are read (64 `u16` an article, article `i` at
 * `i × SIGNATURE_HASHES`): held in memory, or read from the segment's side file one article at a time.
 *
 * The near-duplicate groups read every signature while they are first built, then only when a write
 * adds or removes articles or `GET /articles/{id}/duplicates` compares two: held all along, they were
 * 128 bytes an article (130 MB at a million articles). A source with a file is held while the groups
 * add its articles, then `release`d; its file stays open, so a signature can still be read after a
 * merge removed the file from the folder (until `close`).
 */
export class SignatureSource {
  private readonly cache = new Map<number, Uint16Array>();

  private constructor(
    private signatures: Uint16Array | null,
    private fd: number | null,
    private readonly bodyStart: number,
  ) {
    if (fd !== null) unclosed.register(this, fd, this);
  }

  /** A source of the signatures in `signatures`, held for as long as the source is. */
  static held(signatures: Uint16Array): SignatureSource {
    return new SignatureSource(signatures, null, 0);
  }

  /**
   * A source of the signatures in the open file `fd` (its body, entry 0, at byte `bodyStart`), held as
   * `signatures` (the same entries, already checked) until `release`. The source owns `fd`.
   */
  static fromFile(fd: number, bodyStart: number, signatures: Uint16Array): SignatureSource {
    return new SignatureSource(signatures, fd, bodyStart);
  }

  /** The array holding every signature while they are held (entry `offset` of article `offset / 64`), else null. */
  get array(): Uint16Array | null {
    return this.signatures;
  }

  /** The 64 entries from `offset` (a copy when read from the file, a view when held; not to be changed). */
  read(offset: number): Uint16Array {
    if (this.signatures !== null) return this.signatures.subarray(offset, offset + SIGNATURE_HASHES);
    let signature = this.cache.get(offset);
    if (signature) return signature;
    signature = new Uint16Array(SIGNATURE_HASHES);
    const bytes = new Uint8Array(signature.buffer);
    let done = 0;
    while (done < bytes.length) {
      const n = readSync(this.fd!, bytes, done, bytes.length - done, this.bodyStart + offset * 2 + done);
      if (n === 0) throw new Error(`signature file ends before entry ${offset}`);
      done += n;
    }
    // A write that dissolves a large group reads each member's signature several times: the latest kept.
    if (this.cache.size >= READ_CACHE_ENTRIES) this.cache.clear();
    this.cache.set(offset, signature);
    return signature;
  }

  /** Every signature (`count` articles'): the held array, else read from the file whole (not kept). */
  readAll(count: number): Uint16Array {
    if (this.signatures !== null) return this.signatures;
    const all = new Uint16Array(count * SIGNATURE_HASHES);
    const bytes = new Uint8Array(all.buffer);
    let done = 0;
    while (done < bytes.length) {
      const n = readSync(this.fd!, bytes, done, bytes.length - done, this.bodyStart + done);
      if (n === 0) throw new Error(`signature file ends before article ${count}`);
      done += n;
    }
    return all;
  }

  /** Stops holding the signatures when they can be read from the file (no change for a source without one). */
  release(): void {
    if (this.fd !== null) this.signatures = null;
  }

  /** Closes the file (a held source keeps its signatures). */
  close(): void {
    if (this.fd === null) return;
    unclosed.unregister(this);
    closeSync(this.fd);
    this.fd = null;
    this.cache.clear();
  }
}
