/**
 * The shape of `index-cache/manifest.json`, checked field by field: a manifest
 * that parses as JSON but holds the wrong types (`"corpus":[null]`) must be set
 * aside and rebuilt, not crash every start.
 */

type Check = (value: unknown) => boolean;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isString: Check = (value) => typeof value === 'string';
const isCount: Check = (value) => Number.isSafeInteger(value) && (value as number) >= 0;
const isFiniteNumber: Check = (value) => typeof value === 'number' && Number.isFinite(value);
const isSha256: Check = (value) => typeof value === 'string' && /^[0-9a-f]{64}$/.test(value);
const optional = (check: Check): Check => (value) => value === undefined || check(value);

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

const PROBLEM: Record<string, Check> = { file: isString, line: optional((value) => isCount(value) && (value as number) >= 1), message: isString };

const SNAPSHOT: Record<string, Check> = { file: isString, size: isCount, sha256: isSha256 };

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
 * Why `value` (the parsed manifest JSON) is not a well-formed manifest, e.g.
 * `manifest field corpus[0].path is missing or of the wrong type`, or null when
 * every field has its type: versions are strings (format a number), `corpus`
 * lists files (path, size, sha256, optional times and inode, each unique by
 * path), `problems` lists problems, `snapshot` names a file with its size and
 * sha256, counts are non-negative integers. Whether the versions are the
 * current ones is the caller's question.
 */
export function validateManifest(value: unknown): string | null {
  const wrong = (field: string): string => `manifest field ${field} is missing or of the wrong type`;
  const top = firstBadField(value, {
    formatVersion: isFiniteNumber,
    analyzerVersion: isString,
    parserVersion: isString,
    miniSearchVersion: isString,
    articles: isCount,
    paragraphs: isCount,
    createdAt: isString,
  });
  if (top !== null) return wrong(top);
  const manifest = value as Record<string, unknown>;
  const corpus = badItem(manifest.corpus, CORPUS_FILE);
  if (corpus !== null) return wrong(`corpus${corpus}`);
  const problems = badItem(manifest.problems, PROBLEM);
  if (problems !== null) return wrong(`problems${problems}`);
  const snapshot = firstBadField(manifest.snapshot, SNAPSHOT);
  if (snapshot !== null) return wrong(`snapshot.${snapshot}`);
  const paths = (manifest.corpus as { path: string }[]).map((file) => file.path);
  if (new Set(paths).size !== paths.length) return 'manifest lists a corpus file twice';
  return null;
}
