import { CorruptIndexError } from '../../errors.js';

/** A string dictionary (UTF-8 bytes and offsets): the codes of the metadata columns. */
export class StringTable {
  private readonly cache: (string | undefined)[];
  constructor(
    private readonly bytes: Buffer,
    private readonly offsets: Uint32Array,
  ) {
    if (offsets.length < 1 || offsets[offsets.length - 1] !== bytes.length)
      throw new CorruptIndexError('segment string table disagrees');
    this.cache = new Array(offsets.length - 1);
  }
  get size(): number {
    return this.offsets.length - 1;
  }
  /** The string of `code` (decoded once, then remembered: dictionaries hold few distinct values). */
  get(code: number): string {
    let value = this.cache[code];
    if (value === undefined)
      this.cache[code] = value = this.bytes.toString('utf8', this.offsets[code]!, this.offsets[code + 1]!);
    return value;
  }
  /** The string at `i` without remembering it (article ids: many, each read rarely). */
  peek(i: number): string {
    return this.bytes.toString('utf8', this.offsets[i]!, this.offsets[i + 1]!);
  }
}
