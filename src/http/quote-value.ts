/** Longest part of a caller's value echoed back in an error message, in code points. */
export const MAX_ECHOED_LENGTH = 50;

// Control and format characters (C0, DEL, C1, bidi overrides, zero-width joiners,
// line and paragraph separators) are echoed as `\uXXXX`, so an error message can
// neither break a log line nor reorder the text around it.
const UNPRINTABLE = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;

/**
 * A caller-supplied value made safe to quote in an error message: at most
 * {@link MAX_ECHOED_LENGTH} code points (then `…`), control and format characters
 * written as `\uXXXX`. Returns the value without surrounding backticks.
 */
export function quoteValue(value: string): string {
  const codePoints = Array.from(value);
  const kept = codePoints.length > MAX_ECHOED_LENGTH ? codePoints.slice(0, MAX_ECHOED_LENGTH).join('') + '…' : value;
  return kept.replace(UNPRINTABLE, (ch) => {
    const code = ch.codePointAt(0)!;
    return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
