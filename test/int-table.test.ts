import { describe, expect, it } from 'vitest';
import { IntTable } from '../src/index/int-table.js';

describe('IntTable', () => {
  it('holds what a Map holds through 200,000 random sets and deletes (growth and deletion marks included)', () => {
    const table = new IntTable(4);
    const map = new Map<number, number>();
    let seed = 12345;
    const random = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed;
    };
    for (let step = 0; step < 200_000; step++) {
      // Keys from a small range often, so deletes, re-sets and probe chains past deletion marks all happen.
      const key = step % 3 === 0 ? random() & 0x3fffffff : random() % 5000;
      if (random() % 3 === 0) {
        table.delete(key);
        map.delete(key);
      } else {
        const value = (random() | 0) >> 1;
        table.set(key, value);
        map.set(key, value);
      }
    }
    expect(table.size).toBe(map.size);
    for (const [key, value] of map) expect(table.get(key)).toBe(value);
    for (let key = 0; key < 5000; key++) expect(table.get(key)).toBe(map.get(key));
  });

  it('keeps negative values apart from absence', () => {
    const table = new IntTable();
    table.set(7, -1);
    table.set(0, 0);
    expect(table.get(7)).toBe(-1);
    expect(table.get(0)).toBe(0);
    expect(table.get(8)).toBeUndefined();
  });

  it('reserves room for many keys at once: the keys held stay, and adding that many rehashes nothing', () => {
    const table = new IntTable();
    for (let key = 0; key < 100; key++) table.set(key * 7919, key);
    table.reserve(100 + 50_000);
    const places = table.places;
    for (let key = 100; key < 50_100; key++) table.set(key * 7919, key);
    expect(table.places).toBe(places);
    expect(table.size).toBe(50_100);
    for (let key = 0; key < 50_100; key++) expect(table.get(key * 7919)).toBe(key);
  });

  it('is sized to its keys, not to a power of two: a million keys reserved take 1.25 million places (10 bytes a key)', () => {
    const table = new IntTable();
    table.reserve(1_000_000);
    expect(table.places).toBeLessThanOrEqual(1_250_002);
    // Keys that are not hashes (multiples of a power of two, a dense run) are spread all the same.
    for (let key = 0; key < 1_000_000; key++) table.set(key % 2 === 0 ? key * 1024 : key, key);
    expect(table.places).toBeLessThanOrEqual(1_250_002);
    for (let key = 0; key < 1_000_000; key += 997) expect(table.get(key % 2 === 0 ? key * 1024 : key)).toBe(key);
    expect(table.get(3 * 1024)).toBeUndefined(); // 3 is odd: stored as 3, not as 3 × 1024
  });
});
