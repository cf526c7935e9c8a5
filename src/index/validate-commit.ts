/**
 * The shape of `index-cache/commit.json`, checked field by field: a commit
 * that parses as JSON but holds the wrong types (`"corpus":[null]`) must be set
 * aside and rebuilt, not crash every start.
 */

import { PROBLEM_KINDS } from '../corpus/article.js';

type Check = (value: unknown) => boolean;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isString: Check = (value) => typeof value === 'string';
const isCount: Check = (value) => Number.isSafeInteger(value) && (value as number) >= 0;
const isFiniteNumber: Check = (value) => typeof value === 'number' && Number.isFinite(value);
const isSha256: Check = (value) => typeof value === 'string' && /^[0-9a-f]{64}$/.test(value);
const optional =
  (check: Check): Check =>
  (value) =>
    value === undefined || check(value);

/** The first field of `value` that fails its check, or null. */
function firstBadField(value: unknown, fields: Record<string, Check>): string | null {
  if (!isObject(value)) return '(not an object)';
  for (const [name, check] of Object.entries(fields)) if (!check(value[name])) return name;
  return null;
}

const CORPUS_FILE: Record<string, Check> = {
  path: (value) => typeof value === 'string' && value !== '',
  size: isCount,
  hash: isSha256,
  mtimeMs: optional(isFiniteNumber),
  ctimeMs: optional(isFiniteNumber),
  ino: optional(isFiniteNumber),
  checkedAtMs: optional(isFiniteNumber),
};

const PROBLEM: Record<string, Check> = {
  kind: (value) => (PROBLEM_KINDS as readonly unknown[]).includes(value),
  file: isString,
  line: optional((value) => isCount(value) && (value as number) >= 1),
  message: isString,
};

const SEGMENT: Record<string, Check> = {
  file: (value) => typeof value === 'string' && /^seg-\d{6,}\.nrs$/.test(value),
  articles: isCount,
  paragraphs: isCount,
  bytes: isCount,
  deletes: (value) => value === null || (typeof value === 'string' && /^seg-\d{6,}\.\d+\.del$/.test(value)),
};

/** An array whose every item passes `fields`: the index and field of the first that does not, or null. */
function badItem(value: unknown, fields: Record<string, Check>): string | null {
  if (!Array.isArray(value)) return '(not an array)';
  for (const [index, item] of value.entries()) {
    const bad = firstBadField(item, fields);
    if (bad !== null) return `[${index}].${bad}`;
  }
  return null;
}

/**
 * Why a parsed commit (`commit.json`) is unusable — a field missing or of the
 * wrong type, a segment or lexicon file named unexpectedly, a corpus file listed
 * twice — or null when it is well formed. Checked field by field so that a commit
 * that is valid JSON with wrong types (`"corpus":[null]`) is set aside, never a crash.
 */
export function validateCommit(value: unknown): string | null {
  const wrong = (field: string): string => `commit field ${field} is missing or of the wrong type`;
  const top = firstBadField(value, {
    formatVersion: isCount,
    segmentFormatVersion: isCount,
    analyzerVersion: isString,
    parserVersion: isString,
    generation: isCount,
    lexicon: (v) => typeof v === 'string' && /^lexicon-\d+\.bin$/.test(v),
    articles: isCount,
    paragraphs: isCount,
    createdAt: isString,
    overrides: optional((v) => isObject(v) && isString(v.epoch) && isCount(v.seq)),
    heldFiles: optional((v) => Array.isArray(v) && v.every(isString)),
  });
  if (top !== null) return wrong(top);
  const commit = value as Record<string, unknown>;
  const segments = badItem(commit.segments, SEGMENT);
  if (segments !== null) return wrong(`segments${segments}`);
  const corpus = badItem(commit.corpus, CORPUS_FILE);
  if (corpus !== null) return wrong(`corpus${corpus}`);
  const problems = badItem(commit.problems, PROBLEM);
  if (problems !== null) return wrong(`problems${problems}`);
  const paths = (commit.corpus as { path: string }[]).map((file) => file.path);
  if (new Set(paths).size !== paths.length) return 'commit lists a corpus file twice';
  return null;
}
