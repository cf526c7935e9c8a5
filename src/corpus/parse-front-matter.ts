/**
 * A small YAML front-matter reader for the subset article files use. No
 * dependency: full YAML is far more than `key: value` and lists, and a YAML
 * library would accept (and silently reinterpret) much that we would rather report.
 *
 * Supported, between a first line `---` and a closing `---` (or `...`):
 * - `key: value`, the value plain (a trailing ` # comment` dropped), `"double"`
 *   (with `\"`, `\\`, `\n`, `\t` escapes) or `'single'` quoted (`''` is a quote);
 * - inline lists `key: [a, "b, c", d]`;
 * - block lists: `key:` followed by `- item` lines;
 * - blank lines and `# comment` lines.
 * Keys are matched case-insensitively (returned lower case). Anything else is
 * reported with its line and skipped.
 */

/** A front-matter value: a string, or a list of strings. */
export type FrontMatterValue = string | string[];

/** The result of {@link parseFrontMatter}. Line numbers are 1-based in the whole file. */
export interface FrontMatter {
  /** Keys (lower case) to values; `{}` when the file has no front matter. */
  data: Record<string, FrontMatterValue>;
  /** The text after the front matter (the whole text when there is none). */
  body: string;
  /** Line of the file on which `body` starts. */
  bodyLine: number;
  /** Line of each key, for problems about a value. */
  keyLines: Record<string, number>;
  problems: { line: number; message: string }[];
}

const DELIMITER = /^---\s*$/;
const CLOSING = /^(?:---|\.\.\.)\s*$/;
const KEY_VALUE = /^([A-Za-z_][\w-]*)\s*:(?:\s+(.*))?$/;
const LIST_ITEM = /^\s*-\s+(.*)$/;

/** A scalar with quotes resolved, or null when a quote is left open. */
function parseScalar(raw: string): string | null {
  const text = raw.trim();
  if (text.startsWith('"')) {
    const match = /^"((?:[^"\\]|\\.)*)"\s*(?:#.*)?$/.exec(text);
    if (!match) return null;
    return match[1]!.replace(/\\(.)/g, (_, ch: string) =>
      ch === 'n' ? '\n' : ch === 't' ? '\t' : ch,
    );
  }
  if (text.startsWith("'")) {
    const match = /^'((?:[^']|'')*)'\s*(?:#.*)?$/.exec(text);
    if (!match) return null;
    return match[1]!.replace(/''/g, "'");
  }
  // A '#' starts a comment only after whitespace, as in YAML ("C# news" keeps its '#').
  return text.replace(/\s+#.*$/, '');
}

/** The items of an inline list body (`a, "b, c"`), or null when a quote is left open. */
function parseInlineList(inner: string): string[] | null {
  const items: string[] = [];
  const item = /\s*("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^,]*)\s*(?:,|$)/gy;
  let position = 0;
  while (position < inner.length) {
    item.lastIndex = position;
    const match = item.exec(inner);
    if (!match || match[0] === '') return null;
    const value = parseScalar(match[1] ?? '');
    if (value === null) return null;
    if (value !== '') items.push(value);
    position = item.lastIndex;
  }
  return items;
}

/**
 * The front matter at the start of `text` (LF line ends expected) and the body
 * after it. A text that does not start with `---` has no front matter; one whose
 * front matter is never closed is reported and read as all body.
 */
export function parseFrontMatter(text: string): FrontMatter {
  const lines = text.split('\n');
  const empty: FrontMatter = { data: {}, body: text, bodyLine: 1, keyLines: {}, problems: [] };
  if (!DELIMITER.test(lines[0] ?? '')) return empty;
  const closing = lines.findIndex((line, index) => index > 0 && CLOSING.test(line));
  if (closing < 0) {
    return { ...empty, problems: [{ line: 1, message: 'front matter not closed: no second "---" line; read as body' }] };
  }

  const data: Record<string, FrontMatterValue> = {};
  const keyLines: Record<string, number> = {};
  const problems: FrontMatter['problems'] = [];
  let listKey: string | null = null; // the key whose block list is being read

  for (let index = 1; index < closing; index++) {
    const line = lines[index] ?? '';
    const lineNumber = index + 1;
    if (line.trim() === '' || line.trim().startsWith('#')) continue;

    const listItem = LIST_ITEM.exec(line);
    if (listItem && listKey !== null) {
      const value = parseScalar(listItem[1] ?? '');
      const list = data[listKey];
      if (value === null) problems.push({ line: lineNumber, message: `front matter: unclosed quote in "${line.trim()}"` });
      else if (Array.isArray(list) && value !== '') list.push(value);
      continue;
    }

    const keyValue = KEY_VALUE.exec(line);
    if (!keyValue) {
      problems.push({ line: lineNumber, message: `front matter: line not understood: "${line.trim()}"` });
      listKey = null;
      continue;
    }
    const key = keyValue[1]!.toLowerCase();
    const raw = (keyValue[2] ?? '').trim();
    keyLines[key] = lineNumber;
    listKey = null;
    if (raw === '') {
      // Either an empty value or the start of a block list; the next lines tell.
      data[key] = [];
      listKey = key;
    } else if (raw.startsWith('[')) {
      const inner = /^\[(.*)\]\s*(?:#.*)?$/.exec(raw);
      const list = inner ? parseInlineList(inner[1] ?? '') : null;
      if (list === null) problems.push({ line: lineNumber, message: `front matter: bad list for "${key}"` });
      else data[key] = list;
    } else {
      const value = parseScalar(raw);
      if (value === null) problems.push({ line: lineNumber, message: `front matter: unclosed quote for "${key}"` });
      else data[key] = value;
    }
  }

  return {
    data,
    body: lines.slice(closing + 1).join('\n'),
    bodyLine: closing + 2,
    keyLines,
    problems,
  };
}
