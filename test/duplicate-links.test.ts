import { describe, expect, it } from 'vitest';
import { estimateSimilarity, SIGNATURE_HASHES } from '../src/index/content-signature.js';
import { DuplicateLinks } from '../src/index/duplicate-links.js';

const SIMILARITY = 0.7;

/** A deterministic generator of 32-bit integers, so that a failure repeats. */
function generator(seed: number): () => number {
  return () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed >>> 8;
  };
}

/**
 * Signatures of chains of near copies (each one a copy of the one before with 6 of
 * 64 slots changed: neighbours link, articles five apart do not, so taking a middle
 * one out can split a chain), 40 exact copies of one article, and articles of their own.
 */
function makeSignatures(random: () => number): Map<string, Uint16Array> {
  const signatures = new Map<string, Uint16Array>();
  const fresh = () => Uint16Array.from({ length: SIGNATURE_HASHES }, () => random() & 0xffff);
  for (let chain = 0; chain < 8; chain++) {
    let signature = fresh();
    for (let i = 0; i < 12; i++) {
      signature = signature.slice();
      for (let k = 0; k < 6; k++) signature[random() % SIGNATURE_HASHES] = random() & 0xffff;
      signatures.set(`chain-${chain}-${i}`, signature);
    }
  }
  const template = fresh();
  for (let i = 0; i < 40; i++) signatures.set(`copy-${i}`, template);
  for (let i = 0; i < 40; i++) signatures.set(`alone-${i}`, fresh());
  return signatures;
}

/** `DuplicateLinks` by article id, as the duplicate groups use it (they keep the ids in the segments instead). */
class IdLinks {
  readonly links = new DuplicateLinks(SIMILARITY, (slot) => this.idAt[slot]!);
  private readonly slotOf = new Map<string, number>();
  private readonly idAt: string[] = [];

  add(id: string, signature: Uint16Array): void {
    const slot = this.links.add(signature);
    this.slotOf.set(id, slot);
    this.idAt[slot] = id;
  }

  remove(id: string): void {
    this.links.remove(this.slotOf.get(id)!);
    this.slotOf.delete(id);
  }

  has(id: string): boolean {
    return this.slotOf.has(id);
  }

  signatureOf(id: string): Uint16Array {
    return this.links.signatureOf(this.slotOf.get(id)!);
  }

  idOf(slot: number): string {
    return this.idAt[slot]!;
  }
}

/** The groups by definition: components of the pairs that share a band of 4 slots and are similar enough. */
function groupsByDefinition(live: string[], signatures: Map<string, Uint16Array>): string[][] {
  const parent = new Map(live.map((id) => [id, id]));
  const root = (id: string): string => {
    while (parent.get(id) !== id) id = parent.get(id)!;
    return id;
  };
  const shareBand = (a: Uint16Array, b: Uint16Array) =>
    Array.from({ length: 16 }, (_, band) => band).some((band) =>
      [0, 1, 2, 3].every((r) => a[band * 4 + r] === b[band * 4 + r]),
    );
  for (let i = 0; i < live.length; i++)
    for (let j = i + 1; j < live.length; j++) {
      const a = signatures.get(live[i]!)!;
      const b = signatures.get(live[j]!)!;
      if (shareBand(a, b) && estimateSimilarity(a, b) >= SIMILARITY) parent.set(root(live[i]!), root(live[j]!));
    }
  const byRoot = new Map<string, string[]>();
  for (const id of live) byRoot.set(root(id), [...(byRoot.get(root(id)) ?? []), id]);
  return canonical([...byRoot.values()].filter((members) => members.length > 1));
}

/** The groups of `links` as sorted lists of ids. */
function groupsOf(links: IdLinks): string[][] {
  return canonical([...links.links.groups()].map((slots) => slots.map((slot) => links.idOf(slot))));
}

function canonical(groups: string[][]): string[][] {
  return groups.map((members) => [...members].sort()).sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
}

/** Removes `id` when live, else adds it with its signature: one random step of the tests below. */
function toggle(links: IdLinks, live: Set<string>, id: string, signatures: Map<string, Uint16Array>): void {
  if (live.has(id)) {
    links.remove(id);
    live.delete(id);
  } else {
    links.add(id, signatures.get(id)!);
    live.add(id);
  }
}

describe('DuplicateLinks', () => {
  it('after 3,000 random adds and removals holds the groups a from-scratch build of the live articles holds, and the definition gives', () => {
    const random = generator(2026);
    const signatures = makeSignatures(random);
    const ids = [...signatures.keys()];
    const links = new IdLinks();
    const live = new Set<string>();
    for (let step = 1; step <= 3000; step++) {
      toggle(links, live, ids[random() % ids.length]!, signatures);
      if (step % 250 !== 0) continue;
      // Built again in another order: the groups are a function of the live articles alone.
      const order = [...live].sort((a, b) =>
        a.split('').reverse().join('') < b.split('').reverse().join('') ? -1 : 1,
      );
      const rebuilt = new IdLinks();
      for (const other of order) rebuilt.add(other, signatures.get(other)!);
      const expected = groupsByDefinition([...live], signatures);
      expect(groupsOf(links)).toEqual(expected);
      expect(groupsOf(rebuilt)).toEqual(expected);
      // Slots are reused after removals: each live article still has its own signature.
      for (const other of live) expect(links.signatureOf(other)).toEqual(signatures.get(other));
      for (const other of ids) expect(links.has(other)).toBe(live.has(other));
    }
  });

  it('splits a chain of three near copies in two when its middle article is removed, and joins it again when it is back', () => {
    const random = generator(7);
    const first = Uint16Array.from({ length: SIGNATURE_HASHES }, () => random() & 0xffff);
    // 12 slots changed each step, different ones: neighbours at 52/64 = 0.81, the ends at 40/64 = 0.63 (not linked).
    const middle = first.map((value, slot) => (slot < 12 ? value ^ 1 : value));
    const last = middle.map((value, slot) => (slot >= 12 && slot < 24 ? value ^ 1 : value));
    const links = new IdLinks();
    links.add('first', first);
    links.add('middle', middle);
    links.add('last', last);
    expect(groupsOf(links)).toEqual([['first', 'last', 'middle']]);
    links.remove('middle');
    expect(groupsOf(links)).toEqual([]);
    links.add('middle', middle);
    expect(groupsOf(links)).toEqual([['first', 'last', 'middle']]);
  });

  it('holds the groups the definition gives when unlike articles share band buckets with groups and with each other', () => {
    const random = generator(99);
    const signatures = makeSignatures(random);
    const shared = [...signatures.values()];
    // Band mates: fresh signatures that copy one band (4 slots) of another article, and sometimes a second
    // band of a third: their buckets hold members of several components, most of them alone.
    for (let i = 0; i < 160; i++) {
      const mate = Uint16Array.from({ length: SIGNATURE_HASHES }, () => random() & 0xffff);
      for (let copies = 0; copies < 1 + (i % 2); copies++) {
        const from = shared[random() % shared.length]!;
        const band = random() % 16;
        for (let r = 0; r < 4; r++) mate[band * 4 + r] = from[band * 4 + r]!;
      }
      signatures.set(`mate-${i}`, mate);
      shared.push(mate);
    }
    const ids = [...signatures.keys()];
    const links = new IdLinks();
    const live = new Set<string>();
    for (let step = 1; step <= 4000; step++) {
      toggle(links, live, ids[random() % ids.length]!, signatures);
      if (step % 500 === 0) expect(groupsOf(links)).toEqual(groupsByDefinition([...live], signatures));
    }
  });
});
