import { tokenize } from '../analysis/tokenize.js';

/**
 * Content signatures for near-duplicate detection: MinHash over word shingles.
 *
 * Why MinHash and not SimHash: the question an archivist asks is "how much of
 * this text is the same text", which is the Jaccard similarity of the two
 * articles' sets of 5-word shingles (runs of five consecutive words). MinHash
 * estimates exactly that — the share of equal slots between two signatures is an
 * unbiased estimate of the Jaccard similarity, with a standard error of
 * `sqrt(J·(1 − J) / 64)` (about 0.05 at J = 0.8) — and its slots cut into bands
 * give the LSH candidate search for free. SimHash estimates the angle between
 * weighted term vectors: two different stories on the same subject, written
 * with the same words, come out close, which is what we must keep apart.
 *
 * The headline counts as the first words of the text: it weighs little in a
 * long story (a rewrite with a headline of its own stays close), and keeps apart
 * short items whose bodies are one template ("Qtly div 15 cts vs 15 cts prior"
 * of two companies, told apart only by their headlines; measured on Reuters).
 */

/** Values in a signature (MinHash functions). */
export const SIGNATURE_HASHES = 64;
/** Words per shingle. */
export const SHINGLE_WORDS = 5;
/** Seed of the hash functions: part of the signature file's header (signatures of another seed do not compare). */
export const SIGNATURE_SEED = 0x5eed_0025;

/** Murmur3's 32-bit finalizer: a cheap, well-mixed permutation of 32-bit integers (unsigned result). */
export function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/**
 * The hash functions: `a·x + b mod 2³²` with `a` odd (a permutation of the
 * 32-bit integers) over shingle hashes that `mix32` already spread: one multiply
 * per slot, a quarter of the cost of mixing each slot again (measured on the BBC corpus).
 */
const MULTIPLIERS = Uint32Array.from({ length: SIGNATURE_HASHES }, (_, i) => mix32(SIGNATURE_SEED + 2 * i) | 1);
const INCREMENTS = Uint32Array.from({ length: SIGNATURE_HASHES }, (_, i) => mix32(SIGNATURE_SEED + 2 * i + 1));

/** FNV-1a over a string's UTF-16 code units. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/**
 * Calls `use` with the 32-bit hash of each `SHINGLE_WORDS`-word shingle of the words hashed in `words`
 * (one shingle of all of them when fewer). A repeated shingle comes again: a minimum does not mind.
 */
function forEachShingle(words: readonly number[], use: (hash: number) => void): void {
  const span = Math.min(SHINGLE_WORDS, words.length);
  for (let i = 0; i + span <= words.length; i++) {
    let hash = SIGNATURE_SEED;
    for (let k = 0; k < span; k++) hash = mix32(Math.imul(hash, 31) + words[i + k]!);
    use(hash);
  }
}

/**
 * The MinHash signature of an article's headline and paragraphs: {@link SIGNATURE_HASHES}
 * values, each the least of one hash function over the article's 5-word
 * shingles (words as the analyzer's normalized forms, across paragraph breaks),
 * kept as 16 bits (b-bit MinHash: two different minima agree by chance once in
 * 65,536, which biases an estimate by less than 0.001, and the signatures take half the room).
 * An article without a word gets the empty signature (see {@link isEmptySignature}).
 */
export function contentSignature(article: { title: string; paragraphs: readonly string[] }): Uint16Array {
  const words: number[] = [];
  for (const text of [article.title, ...article.paragraphs]) for (const token of tokenize(text)) words.push(fnv1a(token.form));
  const minima = new Uint32Array(SIGNATURE_HASHES).fill(0xffffffff);
  forEachShingle(words, (shingle) => {
    for (let i = 0; i < SIGNATURE_HASHES; i++) {
      const value = (Math.imul(shingle, MULTIPLIERS[i]!) + INCREMENTS[i]!) >>> 0;
      if (value < minima[i]!) minima[i] = value;
    }
  });
  const signature = new Uint16Array(SIGNATURE_HASHES);
  if (words.length === 0) return signature.fill(EMPTY_SLOT);
  for (let i = 0; i < SIGNATURE_HASHES; i++) signature[i] = (minima[i]! ^ (minima[i]! >>> 16)) & 0xffff;
  return signature;
}

/** Every slot of the empty signature. */
const EMPTY_SLOT = 0xffff;

/** True for the signature of an article without a word: it is never anyone's duplicate. */
export function isEmptySignature(signature: ArrayLike<number>): boolean {
  for (let i = 0; i < SIGNATURE_HASHES; i++) if (signature[i] !== EMPTY_SLOT) return false;
  return true;
}

/** The estimated Jaccard similarity of two articles' shingle sets: the share of equal slots, 0–1 (in steps of 1/64). */
export function estimateSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let same = 0;
  for (let i = 0; i < SIGNATURE_HASHES; i++) if (a[i] === b[i]) same++;
  return same / SIGNATURE_HASHES;
}
