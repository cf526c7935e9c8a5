import type { Readable } from 'node:stream';
import { SearchError } from '../errors.js';

function tooLarge(limit: number): SearchError {
  return new SearchError(
    'payload_too_large',
    `The request body is over this route's limit of ${(limit / 1024 / 1024).toFixed(0)} MB.`,
  );
}

/**
 * The whole body of a request, refused with 413 `payload_too_large` when its
 * `Content-Length` says it is over `limit` bytes, or as soon as it passes it (the
 * rest is not kept; the connection closes after the answer).
 */
export async function readBody(
  stream: Readable & { headers?: Record<string, unknown> },
  limit: number,
): Promise<Buffer> {
  if (Number(stream.headers?.['content-length'] ?? 0) > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** One line of an NDJSON body (1-based `line`), or a line over the limit (its text dropped). */
export type NdjsonLine = { line: number; text: string } | { line: number; tooLong: true };

/**
 * The lines of a stream as they arrive (split on `\n`, a `\r` before it
 * dropped), holding at most `maxLineBytes` of one line in memory: a longer
 * line is reported as `tooLong` and skipped to its end.
 */
export async function* ndjsonLines(stream: Readable, maxLineBytes: number): AsyncGenerator<NdjsonLine> {
  let parts: Buffer[] = [];
  let partBytes = 0;
  let skipping = false;
  let line = 1;
  const take = (): NdjsonLine => {
    const text = Buffer.concat(parts).toString('utf8').replace(/\r$/, '');
    parts = [];
    partBytes = 0;
    return { line, text };
  };
  for await (const chunk of stream) {
    let data = chunk as Buffer;
    for (let newline = data.indexOf(10); newline >= 0 || data.length > 0; newline = data.indexOf(10)) {
      const piece = newline >= 0 ? data.subarray(0, newline) : data;
      if (!skipping) {
        partBytes += piece.length;
        if (partBytes > maxLineBytes) {
          skipping = true;
          parts = [];
          partBytes = 0;
        } else parts.push(Buffer.from(piece));
      }
      if (newline < 0) break;
      if (skipping) yield { line, tooLong: true };
      else yield take();
      skipping = false;
      line++;
      data = data.subarray(newline + 1);
    }
  }
  if (skipping) yield { line, tooLong: true };
  else if (partBytes > 0) yield take();
}
