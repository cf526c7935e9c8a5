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
export const SIGNATURE_SEED = 0x5eed_0026;

/** Murmur3's 32-bit finalizer: a cheap, well-mixed permutation of 32-bit integers (unsigned result). */
export function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Bits of a shingle hash that choose its bin: 2⁶ = {@link SIGNATURE_HASHES} bins. */
const BIN_SHIFT = 26;
const VALUE_MASK = (1 << BIN_SHIFT) - 1;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** Per UTF-16 unit ≥ 128: its lowercase unit when it is part of a word (letter, digit, mark; surrogates too), 0 when not. Filled on first sight. */
const wordUnits = new Map<number, number>();
function wordUnit(c: number): number {
  let unit = wordUnits.get(c);
  if (unit === undefined) {
    const ch = String.fromCharCode(c);
    unit = (c >= 0xd800 && c <= 0xdfff) || /[\p{L}\p{N}\p{M}]/u.test(ch) ? ch.toLowerCase().charCodeAt(0) : 0;
    wordUnits.set(c, unit);
  }
  return unit;
}

/**
 * Appends to `out` the FNV-1a hash of each word of `text`, lowercased: runs of
 * letters and digits, an apostrophe inside a word dropped (`don't` = `dont`).
 *
 * Why not the analyzer's tokenizer: the build already tokenizes every paragraph
 * for the index, and a second full pass for the signatures cost about 15 % of
 * the build (measured on the shared corpus), over its 10 % budget; a
 * fingerprint needs stable word boundaries, not the analyzer's forms, offsets
 * and initialisms. This scan hashes as it goes and makes no string.
 */
function hashWords(text: string, out: number[]): void {
  let hash = FNV_OFFSET;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c < 128) {
      if (c >= 65 && c <= 90) c += 32;
      else if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57))) c = c === 39 && inWord ? -1 : 0;
    } else c = c === 0x2019 && inWord ? -1 : wordUnit(c);
    if (c > 0) {
      hash = Math.imul(hash ^ c, FNV_PRIME);
      inWord = true;
    } else if (c === 0 && inWord) {
      out.push(hash >>> 0);
      hash = FNV_OFFSET;
      inWord = false;
    }
  }
  if (inWord) out.push(hash >>> 0);
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
 * values over its 5-word shingles (across paragraph breaks), by one-permutation
 * hashing: each shingle's hash picks one of 64 bins by its top 6 bits and
 * competes for that bin's least value, so a shingle costs one hash, not 64 (an
 * article of 500 words: 500 hashes, not 32,000). A bin no shingle fell in takes
 * the value of the next filled bin to its right, shifted by the distance
 * (rotation densification, Shrivastava and Li, 2014), so that two articles with
 * the same shingles agree there too. The share of equal bins estimates the
 * Jaccard similarity as classic MinHash does. Each value is kept as 16 bits
 * (b-bit MinHash: two different values agree by chance once in 65,536, a bias
 * under 0.001, for half the room). An article without a word gets the empty
 * signature (see {@link isEmptySignature}).
 */
export function contentSignature(article: { title: string; paragraphs: readonly string[] }): Uint16Array {
  const words: number[] = [];
  hashWords(article.title, words);
  for (const text of article.paragraphs) hashWords(text, words);
  const signature = new Uint16Array(SIGNATURE_HASHES);
  if (words.length === 0) return signature.fill(EMPTY_SLOT);
  const minima = new Float64Array(SIGNATURE_HASHES).fill(Infinity);
  forEachShingle(words, (shingle) => {
    const bin = shingle >>> BIN_SHIFT;
    const value = shingle & VALUE_MASK;
    if (value < minima[bin]!) minima[bin] = value;
  });
  for (let i = 0; i < SIGNATURE_HASHES; i++) {
    let distance = 0;
    while (minima[(i + distance) % SIGNATURE_HASHES] === Infinity) distance++;
    const value = minima[(i + distance) % SIGNATURE_HASHES]! + distance * (VALUE_MASK + 1);
    signature[i] = mix32(value) & 0xffff;
  }
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
