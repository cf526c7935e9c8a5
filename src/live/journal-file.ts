import { closeSync, fsyncSync, mkdirSync, openSync, readSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';
import { SearchError } from '../errors.js';
import { syncFolder } from '../index/segments/atomic-file.js';

/** The journal file in the journal folder. */
export const JOURNAL_FILE = 'journal.ndjson';
/** The journal's format, named by its header line. */
const FORMAT = 1;

/** The header line of a journal of `epoch`, newline included. */
function headerOf(epoch: string): string {
  return `${JSON.stringify({ journal: FORMAT, epoch })}\n`;
}

/** Creates `file`, a journal of `epoch` with no record, in `dir` (made when missing): written aside, fsynced, renamed. */
export function createJournalFile(dir: string, file: string, epoch: string): void {
  mkdirSync(dir, { recursive: true });
  const fd = openSync(`${file}.new`, 'w');
  writeSync(fd, headerOf(epoch));
  fsyncSync(fd);
  closeSync(fd);
  renameSync(`${file}.new`, file);
  syncFolder(dir);
}

/**
 * Reads the header line of the journal `file` open at `fd`: its epoch, and the
 * byte offset where its records begin. Closes `fd` and throws `journal_unreadable`
 * when the file does not start with a journal header of this format.
 */
export function readJournalHeader(fd: number, file: string): { epoch: string; next: number } {
  const headerLine = readLine(fd, 0);
  let epoch = '';
  try {
    const header = JSON.parse(headerLine?.text ?? '') as { journal?: unknown; epoch?: unknown };
    if (header.journal !== FORMAT || typeof header.epoch !== 'string') throw new Error('bad header');
    epoch = header.epoch;
  } catch {
    closeSync(fd);
    throw new SearchError(
      'journal_unreadable',
      `the journal ${file} does not start with a journal header; move it aside to start a new one`,
    );
  }
  return { epoch, next: headerLine!.next };
}

/**
 * Writes the journal `file` anew, atomically (a file aside, fsynced, renamed): its
 * header, then the `lines` read from the journal open at `fd` (each at `offset`,
 * `length` bytes without its newline), in that order. Returns each line's new
 * offset and the new file's size in bytes.
 */
export function writeCompactedJournal(
  file: string,
  epoch: string,
  fd: number,
  lines: readonly { offset: number; length: number }[],
): { offsets: number[]; size: number } {
  const temporary = `${file}.compact`;
  const out = openSync(temporary, 'w');
  let offset = 0;
  const write = (text: string) => {
    const bytes = Buffer.from(text, 'utf8');
    let done = 0;
    while (done < bytes.length) done += writeSync(out, bytes, done, bytes.length - done, offset + done);
    offset += bytes.length;
  };
  write(headerOf(epoch));
  const offsets: number[] = [];
  for (const line of lines) {
    const buffer = Buffer.alloc(line.length);
    readSync(fd, buffer, 0, line.length, line.offset);
    offsets.push(offset);
    write(`${buffer.toString('utf8')}\n`);
  }
  fsyncSync(out);
  closeSync(out);
  renameSync(temporary, file);
  syncFolder(path.dirname(file));
  return { offsets, size: offset };
}

/**
 * A failed write of the journal (or, `what`, of another file of the journal
 * folder: `versions`) as the project's error: `disk_full` when the disk is full,
 * else `journal_write_failed`.
 */
export function journalWriteError(error: unknown, what: 'journal' | 'versions' = 'journal'): SearchError {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  return ['ENOSPC', 'EDQUOT'].includes(code)
    ? new SearchError(
        'disk_full',
        `The disk holding the ${what} is full (${code}); the write was not saved. Free space and retry.`,
      )
    : new SearchError(
        'journal_write_failed',
        `The ${what} could not be written (${code || (error as Error).message}); the write was not saved.`,
      );
}

/** The line starting at `offset` (without its newline) and where the next begins; null when no newline ends it. */
function readLine(fd: number, offset: number): { text: string; next: number } | null {
  const chunks: Buffer[] = [];
  let at = offset;
  const buffer = Buffer.alloc(64 * 1024);
  for (;;) {
    const n = readSync(fd, buffer, 0, buffer.length, at);
    if (n === 0) return null;
    const newline = buffer.subarray(0, n).indexOf(10);
    if (newline >= 0) {
      chunks.push(Buffer.from(buffer.subarray(0, newline)));
      return { text: Buffer.concat(chunks).toString('utf8'), next: at + newline + 1 };
    }
    chunks.push(Buffer.from(buffer.subarray(0, n)));
    at += n;
  }
}
