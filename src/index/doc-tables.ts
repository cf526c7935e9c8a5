/**
 * MiniSearch's per-document tables for an index loaded in bulk, with the Map
 * methods MiniSearch calls, backed by arrays indexed by short id instead of
 * Maps of 100,000+ entries built at every start:
 * - `DocumentIdTable` (short id → document id) for `_documentIds`;
 * - `FieldLengthTable` (short id → field lengths) for `_fieldLength`;
 * - `LazyIdMap` (document id → short id) for `_idToShortId`, built on first use
 *   (only updates and MiniSearch's own `search()` need it).
 */

abstract class MapLike<K, V> implements Map<K, V> {
  abstract get(key: K): V | undefined;
  abstract set(key: K, value: V): this;
  abstract delete(key: K): boolean;
  abstract entries(): MapIterator<[K, V]>;
  abstract get size(): number;

  has(key: K): boolean {
    return this.get(key) !== undefined;
  }
  clear(): void {
    for (const key of [...this.keys()]) this.delete(key);
  }
  forEach(fn: (value: V, key: K, map: Map<K, V>) => void, thisArg?: unknown): void {
    for (const [key, value] of this.entries()) fn.call(thisArg, value, key, this);
  }
  *keys(): MapIterator<K> {
    for (const [key] of this.entries()) yield key;
  }
  *values(): MapIterator<V> {
    for (const [, value] of this.entries()) yield value;
  }
  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }
  get [Symbol.toStringTag](): string {
    return this.constructor.name;
  }
}

/** Short id → document id, in an array indexed by short id. */
export class DocumentIdTable extends MapLike<number, string> {
  private readonly ids: (string | undefined)[];
  private count = 0;

  constructor(shortIds: ArrayLike<number>, ids: readonly string[], nextId: number) {
    super();
    this.ids = new Array<string | undefined>(nextId);
    for (let i = 0; i < shortIds.length; i++) this.ids[shortIds[i]!] = ids[i]!;
    this.count = shortIds.length;
  }

  get(shortId: number): string | undefined {
    return this.ids[shortId];
  }
  set(shortId: number, id: string): this {
    if (this.ids[shortId] === undefined) this.count++;
    this.ids[shortId] = id;
    return this;
  }
  delete(shortId: number): boolean {
    if (this.ids[shortId] === undefined) return false;
    this.ids[shortId] = undefined;
    this.count--;
    return true;
  }
  get size(): number {
    return this.count;
  }
  *entries(): MapIterator<[number, string]> {
    for (let shortId = 0; shortId < this.ids.length; shortId++) {
      const id = this.ids[shortId];
      if (id !== undefined) yield [shortId, id];
    }
  }
}

/**
 * Short id → field lengths (MiniSearch keeps one array per document, indexed by
 * field id). Loaded documents of the single field 0 live in an Int32Array; a
 * `get` hands out a fresh one-element array; documents added later keep the
 * array MiniSearch gave (it fills it in place).
 */
export class FieldLengthTable extends MapLike<number, number[]> {
  private readonly lengths: Int32Array;
  private readonly later = new Map<number, number[]>();
  private count: number;

  constructor(shortIds: ArrayLike<number>, lengths: ArrayLike<number>, nextId: number) {
    super();
    this.lengths = new Int32Array(nextId).fill(-1);
    for (let i = 0; i < shortIds.length; i++) this.lengths[shortIds[i]!] = lengths[i]!;
    this.count = shortIds.length;
  }

  get(shortId: number): number[] | undefined {
    const length = shortId < this.lengths.length ? this.lengths[shortId]! : -1;
    return length >= 0 ? [length] : this.later.get(shortId);
  }
  set(shortId: number, value: number[]): this {
    if (shortId < this.lengths.length && this.lengths[shortId]! >= 0) {
      this.lengths[shortId] = value[0] ?? 0;
      return this;
    }
    if (!this.later.has(shortId)) this.count++;
    this.later.set(shortId, value);
    return this;
  }
  delete(shortId: number): boolean {
    if (shortId < this.lengths.length && this.lengths[shortId]! >= 0) {
      this.lengths[shortId] = -1;
      this.count--;
      return true;
    }
    if (this.later.delete(shortId)) {
      this.count--;
      return true;
    }
    return false;
  }
  get size(): number {
    return this.count;
  }
  *entries(): MapIterator<[number, number[]]> {
    for (let shortId = 0; shortId < this.lengths.length; shortId++) {
      if (this.lengths[shortId]! >= 0) yield [shortId, [this.lengths[shortId]!]];
    }
    yield* this.later.entries();
  }
}

/** Document id → short id, built from the document table on first use. */
export class LazyIdMap extends MapLike<string, number> {
  private map: Map<string, number> | null = null;

  constructor(private readonly documentIds: Map<number, string>) {
    super();
  }

  private built(): Map<string, number> {
    if (!this.map) {
      this.map = new Map();
      for (const [shortId, id] of this.documentIds) this.map.set(id, shortId);
    }
    return this.map;
  }
  get(id: string): number | undefined {
    return this.built().get(id);
  }
  set(id: string, shortId: number): this {
    this.built().set(id, shortId);
    return this;
  }
  delete(id: string): boolean {
    return this.built().delete(id);
  }
  get size(): number {
    return this.map ? this.map.size : this.documentIds.size;
  }
  entries(): MapIterator<[string, number]> {
    return this.built().entries();
  }
}
