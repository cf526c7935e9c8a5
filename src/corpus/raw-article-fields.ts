import type { ProblemKind } from './article.js';

/** Fields as a parser found them: raw strings, not yet normalized. Absent = unknown. */
export interface RawArticleFields {
  id: string;
  title?: string | undefined;
  date?: string | undefined;
  /** A byline string (`By A and B`) or a list of names. Wins over `byline`. */
  authors?: string | readonly string[] | undefined;
  byline?: string | undefined;
  source?: string | undefined;
  /** A dateline field (`WASHINGTON (Reuters)`), used only to find the source when none is given. */
  dateline?: string | undefined;
  section?: string | undefined;
  url?: string | undefined;
  /** A list, or one comma-separated string. */
  tags?: string | readonly string[] | undefined;
  /** Paragraph texts in order; they may still hold line breaks, blanks and boilerplate. */
  paragraphs: readonly string[];
  /** `published` (the default) or `draft`. */
  status?: string | undefined;
  /** Embargo time, ISO 8601 with a time and zone (`2026-12-01T09:00:00Z`). */
  publishAt?: string | undefined;
}

/**
 * Receives a problem's kind and message and, when the problem is about one
 * field, that field's name; the caller knows the file and can map the field to a line.
 */
export type ReportProblem = (kind: ProblemKind, message: string, field?: keyof RawArticleFields) => void;
