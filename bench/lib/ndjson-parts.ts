/**
 * An export-like folder of NDJSON files (I/O): records are appended to
 * `part-00001.ndjson`, `part-00002.ndjson`, … each closed once it passes a size
 * bound, with back-pressure, so memory stays bounded whatever the total.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';

/** Writes records to numbered NDJSON parts of about `partBytes` each (default 4 MiB). */
export class NdjsonParts {
  /** Bytes written so far, all parts. */
  bytes = 0;
  /** Parts opened so far. */
  parts = 0;
  private stream: WriteStream | null = null;
  private partBytes = 0;

  constructor(
    private readonly dir: string,
    private readonly maxPartBytes = 4 * 1024 * 1024,
  ) {}

  /** Appends one record as a JSON line; waits when the file's buffer is full. */
  async write(record: unknown): Promise<void> {
    if (!this.stream || this.partBytes >= this.maxPartBytes) await this.open();
    const line = `${JSON.stringify(record)}\n`;
    const size = Buffer.byteLength(line);
    this.partBytes += size;
    this.bytes += size;
    if (!this.stream!.write(line)) await once(this.stream!, 'drain');
  }

  /** Flushes and closes the current part. */
  async close(): Promise<void> {
    if (!this.stream) return;
    const stream = this.stream;
    this.stream = null;
    await new Promise<void>((resolve, reject) =>
      stream.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
  }

  private async open(): Promise<void> {
    await this.close();
    this.parts++;
    this.partBytes = 0;
    this.stream = createWriteStream(path.join(this.dir, `part-${String(this.parts).padStart(5, '0')}.ndjson`));
  }
}
