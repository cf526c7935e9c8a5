/**
 * Wire boilerplate at the end of a story, which is not content: a search for
 * "Warner" must not find every CNN story because of its copyright line.
 */

/** `The-CNN-Wire`, `The-Reuters-Wire`: a wire's routing tag. */
const WIRE_TAG = /^The-[A-Za-z]+-Wire$/;

/** `™ & © 2025 Cable News Network, Inc., …`, `© 2025 …`, `Copyright 2025 …`, `(c) 2025 …`, `… All rights reserved.` */
function isCopyrightLine(paragraph: string): boolean {
  return (
    /^(?:™\s*)?(?:&\s*)?©/.test(paragraph) ||
    /^copyright\b/i.test(paragraph) ||
    /^\(c\)\s*\d{4}/i.test(paragraph) ||
    /all rights reserved/i.test(paragraph)
  );
}

// Reuters' signature as it appears in Reuters-21578: "REUTER" (rarely "REUTERS"),
// in any case, sometimes followed by "..", "...", a literal "^M" (a carriage
// return printed as text) or a transmission stamp glued on ("REUTER11:43/VB", "Reuter4").
const SIGNATURE_WORD = String.raw`(reuters?)(?:\.{2,3})?(?:\^M)?(?:\d[\d:/A-Z]*)?`;
const SIGNATURE = new RegExp(`^${SIGNATURE_WORD}$`, 'i');

/** JavaScript's `\s`. */
function isSpace(ch: string | undefined): boolean {
  return ch !== undefined && /\s/.test(ch);
}

/**
 * `paragraph` without a Reuters signature as its last word, or null when it has
 * none. The word is taken for a signature when it is all upper or all lower case
 * (`REUTER`, `reuter`: how the wire printed it), or follows the end of a sentence
 * (`… Noranda said. Reuter`); a story that ends "… he told Reuter" keeps its
 * last word. "Reuters." with a single period ends a sentence ("… told Reuters.")
 * and is never stripped.
 */
function withoutTrailingSignature(paragraph: string): string | null {
  // Scanned from the end, so the cost is the last word's length, not the paragraph's.
  let wordStart = paragraph.length;
  while (wordStart > 0 && !isSpace(paragraph[wordStart - 1])) wordStart--;
  if (wordStart === 0) return null;
  const match = SIGNATURE.exec(paragraph.slice(wordStart));
  if (!match) return null;
  let spaceStart = wordStart;
  while (spaceStart > 0 && isSpace(paragraph[spaceStart - 1])) spaceStart--;
  const before = paragraph[spaceStart - 1] ?? '';
  const word = match[1] ?? '';
  const wireCase = word === word.toUpperCase() || word === word.toLowerCase();
  if (!wireCase && !/[.!?"'”’)]/.test(before)) return null;
  return paragraph.slice(0, spaceStart).trimEnd();
}

/**
 * The paragraphs without trailing wire boilerplate: paragraphs at the end that are
 * a wire tag (`/^The-[A-Za-z]+-Wire$/`), a copyright line (`©`, `Copyright …`,
 * `(c) 2025`, or containing "All rights reserved"), or Reuters' `REUTER`
 * signature; and the signature when it is the last word of the last paragraph
 * (once: a paragraph of `REUTER REUTER …` is not peeled word by word, which cost
 * time quadratic in its length). Boilerplate before the last real paragraph is
 * left alone. Returns a new array.
 */
export function stripBoilerplate(paragraphs: readonly string[]): string[] {
  const kept = [...paragraphs];
  let signatureStripped = false;
  for (;;) {
    const last = kept[kept.length - 1];
    if (last === undefined) return kept;
    if (WIRE_TAG.test(last) || isCopyrightLine(last) || SIGNATURE.test(last)) {
      kept.pop();
      continue;
    }
    if (signatureStripped) return kept;
    const shortened = withoutTrailingSignature(last);
    if (shortened === null) return kept;
    signatureStripped = true;
    kept[kept.length - 1] = shortened;
    if (shortened === '') kept.pop();
  }
}
