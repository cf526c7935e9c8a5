/**
 * Comparisons of UTF-8 bytes in JavaScript string order (UTF-16 code units), so a
 * sorted dictionary of UTF-8 terms is searched on its bytes, without decoding a
 * string at each step of a binary search.
 *
 * Byte order of UTF-8 is code point order, which is UTF-16 order except between the
 * characters U+E000–U+FFFF (UTF-8 lead bytes 0xEE, 0xEF) and those above U+FFFF
 * (lead bytes 0xF0–0xF4): UTF-16 writes the latter as surrogates, 0xD800–0xDFFF, so
 * they sort before U+E000 there. Two well-formed strings first differ in bytes at a
 * character's first byte or inside characters of one length, so the first differing
 * byte decides, with that one pair of ranges swapped.
 */

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The UTF-8 bytes of `text`, the key of a byte search; null when `text` holds a lone surrogate (no exact UTF-8 form). */
export function termKey(text: string): Buffer | null {
  return LONE_SURROGATE.test(text) ? null : Buffer.from(text, 'utf8');
}

/** Orders two differing bytes at the same position of two UTF-8 strings as their UTF-16 forms order. */
function byteOrder(x: number, y: number): number {
  if (x >= 0xee && y >= 0xee && x >= 0xf0 !== y >= 0xf0) return x >= 0xf0 ? -1 : 1;
  return x - y;
}

/**
 * Negative, zero or positive as the UTF-8 string `bytes[from … to)` sorts before,
 * equal to or after `key` in JavaScript string order.
 */
export function compareUtf8(bytes: Uint8Array, from: number, to: number, key: Uint8Array): number {
  const n = Math.min(to - from, key.length);
  for (let j = 0; j < n; j++) {
    const x = bytes[from + j]!;
    const y = key[j]!;
    if (x !== y) return byteOrder(x, y);
  }
  return to - from - key.length;
}

/** True when the UTF-8 string `bytes[from … to)` begins with `key` (a prefix in bytes is one in characters). */
export function startsWithUtf8(bytes: Uint8Array, from: number, to: number, key: Uint8Array): boolean {
  if (to - from < key.length) return false;
  for (let j = 0; j < key.length; j++) if (bytes[from + j] !== key[j]) return false;
  return true;
}
