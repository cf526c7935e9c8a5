/**
 * The shapes that leave the corpus reader: one parsed article, one problem
 * found while reading, and one corpus file's fingerprint.
 */

/** One article of the archive, as parsed from a corpus file. */
export interface Article {
  /** Stable id: the JSON `id`, else the file's path in the corpus without extension (posix separators). */
  id: string;
  /** Headline; never empty (derived from the first paragraph when the file has none). */
  title: string;
  /** Publication date, ISO 8601: `YYYY-MM-DD`, or `YYYY-MM-DDTHH:MM:SSZ` when the source gives a time; null if unknown. */
  date: string | null;
  /** Author names, without "By"; `[]` when unknown. */
  authors: string[];
  /** Publisher or wire service ("CNN", "Reuters", "BBC"); null if unknown. */
  source: string | null;
  /** Section ("business"), from metadata or the folder; null if unknown. */
  section: string | null;
  /** Canonical URL; null if unknown. */
  url: string | null;
  /** Tags / topics; `[]` when none. */
  tags: string[];
  /** Body paragraphs, in order, trimmed, non-empty, wire boilerplate removed. */
  paragraphs: string[];
  /** Path of the corpus file it came from, relative to the corpus folder, posix separators (`(api)` for one written through the API). */
  file: string;
  /** `draft` keeps it out of every reader's view until it is published; absent when published. */
  status?: 'draft';
  /** Embargo: not visible before this time (ISO 8601, UTC); absent when none. */
  publishAt?: string;
}

/**
 * What kind of problem a corpus file has, for programs (the message is for
 * people): `unreadable` (a folder or file that cannot be read, a broken link),
 * `not_followed` (a symbolic link left alone), `not_a_file` (a FIFO, socket or
 * device), `too_large` (over `MAX_FILE_MB`), `not_an_article` (a hidden,
 * temporary or binary file, a JSON value that is not an object), `empty`,
 * `invalid_utf8`, `invalid_json`, `front_matter` (YAML the parser refused),
 * `bad_field` (a field of the wrong type or value, ignored), `missing_body`,
 * `duplicate_id` (a copy of an article id seen in an earlier file).
 */
export type ProblemKind =
  | 'unreadable'
  | 'not_followed'
  | 'not_a_file'
  | 'too_large'
  | 'not_an_article'
  | 'empty'
  | 'invalid_utf8'
  | 'invalid_json'
  | 'front_matter'
  | 'bad_field'
  | 'missing_body'
  | 'duplicate_id';

/** Every {@link ProblemKind}, for checking one read back from a commit. */
export const PROBLEM_KINDS: readonly ProblemKind[] = [
  'unreadable',
  'not_followed',
  'not_a_file',
  'too_large',
  'not_an_article',
  'empty',
  'invalid_utf8',
  'invalid_json',
  'front_matter',
  'bad_field',
  'missing_body',
  'duplicate_id',
];

/** Something wrong with the input that did not stop the run. */
export interface Problem {
  /** What went wrong, for programs (see {@link ProblemKind}). */
  kind: ProblemKind;
  /** Corpus-relative path (posix). */
  file: string;
  /** 1-based line, when the problem is on one line (NDJSON). */
  line?: number;
  message: string;
}

/** A corpus file's fingerprint, for the snapshot's corpus digest. */
export interface CorpusFile {
  /** Corpus-relative path (posix). */
  path: string;
  /** Size in bytes. */
  size: number;
  /** sha256 of the content, hex. */
  hash: string;
  /** Modification time when it was hashed (ms since the epoch). */
  mtimeMs?: number;
  /** Status change time when it was hashed (ms since the epoch). */
  ctimeMs?: number;
  /** Inode number when it was hashed. */
  ino?: number;
  /**
   * This machine's clock (ms since the epoch) just before the stat that gave the
   * times above. With them, it decides whether the hash can be trusted without
   * reading the file (see `isStampTrusted`).
   */
  checkedAtMs?: number;
}
