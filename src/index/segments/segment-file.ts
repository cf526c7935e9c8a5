import { closeSync, fstatSync, openSync, readSync, writeSync, fsyncSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { CorruptIndexError } from '../../errors.js';

/**
 * The container of a segment: named sections of bytes, each at an 8-byte
 * aligned offset (so typed arrays view them in place) with a CRC-32, and a JSON
 * header at the end that lists them.
 *
 *   bytes 0..7    magic `NRSEG001`
 *   bytes 8..15   header offset H (float64 LE)
 *   16 …          sections
 *   H …           header JSON: { formatVersion, sections: { name: [offset, length, crc32] }, meta }
 *
 * The header is written last, so sections stream to disk as they are made
 * (postings and stored text never have to fit in memory at once), and a file cut
 * short by a crash has no readable header. Small sections are read whole and
 * checked against their CRC when a segment opens; postings and stored text are
 * read by range when a query needs them and checked as they are decoded.
 */
export const SEGMENT_MAGIC = 'NRSEG001';
const PREAMBLE = 16;
/** Size of the write buffer, in bytes. */
const WRITE_CHUNK = 1 << 20;

/** Offset, length and CRC-32 of each section. */
export type SectionTable = Record<string, [offset: number, length: number, crc: number]>;

/** Where sections go: a file (written as they come) or memory. */
export class SectionWriter {
  private readonly sections: SectionTable = {};
  private position = PREAMBLE;
  private readonly chunks: Uint8Array[] = [];
  private open: { name: string; offset: number; crc: number } | null = null;

  /** `fd`: a file opened for writing (null: keep the bytes in memory, see `finish`). */
  constructor(private readonly fd: number | null) {
    this.write(new Uint8Array(PREAMBLE));
  }

  /** Bytes waiting to be written: one `writeSync` a megabyte, not one per term or paragraph. */
  private pending = new Uint8Array(WRITE_CHUNK);
  private pendingLength = 0;

  private write(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    if (this.pendingLength + bytes.length > WRITE_CHUNK) this.drain();
    if (bytes.length >= WRITE_CHUNK) this.emit(bytes);
    else {
      this.pending.set(bytes, this.pendingLength);
      this.pendingLength += bytes.length;
    }
  }

  private drain(): void {
    if (this.pendingLength === 0) return;
    this.emit(this.pending.subarray(0, this.pendingLength));
    this.pending = new Uint8Array(WRITE_CHUNK);
    this.pendingLength = 0;
  }

  private emit(bytes: Uint8Array): void {
    if (this.fd === null)
      this.chunks.push(this.pendingLength > 0 && bytes.buffer === this.pending.buffer ? bytes : bytes.slice());
    else {
      let done = 0;
      while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done);
    }
  }

  private align(): void {
    const pad = (8 - (this.position % 8)) % 8;
    if (pad) {
      this.write(new Uint8Array(pad));
      this.position += pad;
    }
  }

  /** Starts a section written in pieces by `append`. */
  begin(name: string): void {
    if (this.open) throw new Error(`section ${this.open.name} is still open`);
    this.align();
    this.open = { name, offset: this.position, crc: 0 };
  }

  /** Appends bytes to the open section. */
  append(bytes: Uint8Array): void {
    const open = this.open;
    if (!open) throw new Error('no open section');
    open.crc = crc32(bytes, open.crc);
    this.write(bytes);
    this.position += bytes.length;
  }

  /** Ends the open section. */
  end(): void {
    const open = this.open;
    if (!open) throw new Error('no open section');
    this.sections[open.name] = [open.offset, this.position - open.offset, open.crc];
    this.open = null;
  }

  /** Writes one whole section. */
  add(name: string, bytes: ArrayBufferView): void {
    this.begin(name);
    this.append(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    this.end();
  }

  /**
   * Writes the header (with `meta`) and the preamble; fsyncs a file. Returns the
   * whole segment's bytes when writing to memory, else null.
   */
  finish(formatVersion: number, meta: unknown): Buffer | null {
    if (this.open) throw new Error(`section ${this.open.name} is still open`);
    this.align();
    const headerAt = this.position;
    const header = Buffer.from(JSON.stringify({ formatVersion, sections: this.sections, meta }), 'utf8');
    this.write(header);
    this.position += header.length;
    this.drain();
    const preamble = Buffer.alloc(PREAMBLE);
    preamble.write(SEGMENT_MAGIC, 0, 'latin1');
    preamble.writeDoubleLE(headerAt, 8);
    if (this.fd === null) {
      const all = Buffer.concat(this.chunks);
      preamble.copy(all, 0);
      return all;
    }
    writeSync(this.fd, preamble, 0, PREAMBLE, 0);
    fsyncSync(this.fd);
    return null;
  }
}

/** Reads ranges of a segment: from a file by `pread`, or from bytes in memory. */
export class SectionSource {
  private constructor(
    private readonly fd: number | null,
    private readonly bytes: Buffer | null,
    readonly size: number,
  ) {}

  static ofFile(file: string): SectionSource {
    const fd = openSync(file, 'r');
    return new SectionSource(fd, null, fstatSync(fd).size);
  }

  static ofBytes(bytes: Buffer): SectionSource {
    return new SectionSource(null, bytes, bytes.length);
  }

  /** `length` bytes at `offset` (a view for memory, a fresh buffer for a file). Throws past the end. */
  read(offset: number, length: number): Buffer {
    if (offset < 0 || length < 0 || offset + length > this.size)
      throw new CorruptIndexError('segment read past its end');
    if (this.bytes) return this.bytes.subarray(offset, offset + length);
    const out = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const n = readSync(this.fd!, out, done, length - done, offset + done);
      if (n === 0) throw new CorruptIndexError('segment file truncated');
      done += n;
    }
    return out;
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
  }
}

/** A segment's header: its sections and metadata, checked against the source's size. */
export interface SegmentHeader<Meta> {
  formatVersion: number;
  sections: SectionTable;
  meta: Meta;
}

/** Reads and checks a segment's preamble and header. Throws with a reason when they are bad. */
export function readHeader<Meta>(source: SectionSource): SegmentHeader<Meta> {
  if (source.size < PREAMBLE) throw new CorruptIndexError('segment file truncated');
  const preamble = source.read(0, PREAMBLE);
  if (preamble.toString('latin1', 0, 8) !== SEGMENT_MAGIC) throw new CorruptIndexError('not a segment file');
  const at = preamble.readDoubleLE(8);
  if (!Number.isSafeInteger(at) || at < PREAMBLE) throw new CorruptIndexError('segment header offset is malformed');
  if (at >= source.size) throw new CorruptIndexError('segment file truncated (its header is past its end)');
  let header: SegmentHeader<Meta>;
  try {
    header = JSON.parse(source.read(at, source.size - at).toString('utf8')) as SegmentHeader<Meta>;
  } catch {
    throw new CorruptIndexError('segment header is not valid JSON');
  }
  if (typeof header !== 'object' || header === null || typeof header.sections !== 'object' || header.sections === null)
    throw new CorruptIndexError('segment header is malformed');
  for (const [name, entry] of Object.entries(header.sections)) {
    const ok = Array.isArray(entry) && entry.length === 3 && entry.every((n) => Number.isSafeInteger(n) && n >= 0);
    if (!ok || entry[0] + entry[1] > at) throw new CorruptIndexError(`segment section ${name} out of range`);
  }
  return header;
}

/** Reads a whole section and checks its CRC. */
export function readSection(source: SectionSource, sections: SectionTable, name: string): Buffer {
  const entry = sections[name];
  if (!entry) throw new CorruptIndexError(`segment section ${name} missing`);
  const bytes = source.read(entry[0], entry[1]);
  if (crc32(bytes) !== entry[2]) throw new CorruptIndexError(`segment section ${name} fails its checksum`);
  return bytes;
}

/** Checks every section's CRC (reads the whole file, a range at a time). */
export function verifySections(source: SectionSource, sections: SectionTable): void {
  const CHUNK = 8 << 20;
  for (const [name, [offset, length, expected]] of Object.entries(sections)) {
    let crc = 0;
    for (let at = 0; at < length; at += CHUNK) crc = crc32(source.read(offset + at, Math.min(CHUNK, length - at)), crc);
    if (crc !== expected) throw new CorruptIndexError(`segment section ${name} fails its checksum`);
  }
}

/** A typed-array view of a section's bytes (copied when not aligned for the type). */
export function viewOf<T extends Int32Array | Uint32Array | Float64Array | Uint16Array>(
  bytes: Buffer,
  Type: {
    new (buffer: ArrayBufferLike, offset: number, length: number): T;
    new (length: number): T;
    BYTES_PER_ELEMENT: number;
  },
  expectedLength?: number,
): T {
  const size = Type.BYTES_PER_ELEMENT;
  if (bytes.byteLength % size !== 0) throw new CorruptIndexError('segment section has a partial element');
  const length = bytes.byteLength / size;
  if (expectedLength !== undefined && length !== expectedLength)
    throw new CorruptIndexError('segment section has the wrong length');
  if (bytes.byteOffset % size === 0) return new Type(bytes.buffer, bytes.byteOffset, length);
  const copy = new Type(length);
  new Uint8Array(copy.buffer).set(bytes);
  return copy;
}

/**
 * A table of `entries` byte offsets, ascending (see {@link offsetsTable}): Uint32 when its
 * section holds four bytes an entry, else Float64. Throws when the section is neither.
 */
export function viewOffsets(bytes: Buffer, entries: number): Uint32Array | Float64Array {
  return bytes.byteLength === entries * 4 ? viewOf(bytes, Uint32Array, entries) : viewOf(bytes, Float64Array, entries);
}

/** Byte offsets as a section: four bytes each while the last is below 4 GiB (every segment of the archives measured), else eight. */
export function offsetsTable(offsets: readonly number[]): Uint32Array | Float64Array {
  const last = offsets[offsets.length - 1] ?? 0;
  return last < 2 ** 32 ? Uint32Array.from(offsets) : Float64Array.from(offsets);
}
