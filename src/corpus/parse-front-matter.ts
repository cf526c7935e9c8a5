/**
 * The YAML front matter of a Markdown article, read with the maintained `yaml`
 * package (YAML 1.2, core schema): block scalars (`title: >-`, `summary: |`),
 * quoted strings with escapes, flow and block lists, comments, anchors.
 *
 * Between a first line `---` and a closing `---` (or `...`). Keys are matched
 * case-insensitively (returned lower case); a value is a string or a list of
 * strings, numbers and booleans kept as written (`id: 007` is `"007"`), an
 * empty value an empty list. What YAML refuses, or what is neither a string nor
 * a list of strings, is reported with its line and skipped; the other keys are
 * kept. Limits: at most {@link MAX_FRONT_MATTER_CHARS} characters of front
 * matter and {@link MAX_ALIAS_COUNT} alias expansions (an "alias bomb" of
 * nested anchors is reported, not expanded).
 */
import { createRequire } from 'node:module';
import type { Document, Node } from 'yaml';

// `yaml` is loaded on the first front matter read, not with the module: a service starting on a built index reads none.
const requireModule = createRequire(import.meta.url);
let loadedYaml: typeof import('yaml') | null = null;
const yaml = (): typeof import('yaml') => (loadedYaml ??= requireModule('yaml') as typeof import('yaml'));

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

/**
 * Most characters of front matter read (16 Ki UTF-16 units); a larger one is reported and ignored.
 * Real front matter is a few hundred characters; the bound keeps a hostile one (thousands of nested
 * brackets or stray quotes, which the YAML parser reads at tens of microseconds a character) cheap.
 */
export const MAX_FRONT_MATTER_CHARS = 16_384;
/** Most alias expansions in one front matter (the `yaml` package's `maxAliasCount`). */
export const MAX_ALIAS_COUNT = 100;

const DELIMITER = /^---\s*$/;
const CLOSING = /^(?:---|\.\.\.)\s*$/;

/** A scalar as a string: strings as they are, numbers and booleans as written, null as null. */
function scalarText(node: Node): string | null {
  if (!yaml().isScalar(node)) return null;
  if (node.value === null || node.value === undefined) return null;
  if (typeof node.value === 'string') return node.value;
  return typeof node.source === 'string' && node.source !== '' ? node.source : String(node.value);
}

/** A value as a string or a list of strings, or undefined when it is neither (a map, a list of lists). */
function frontMatterValue(node: Node | null, doc: Document): FrontMatterValue | undefined {
  const resolved = node !== null && yaml().isAlias(node) ? (node.resolve(doc) ?? null) : node;
  if (resolved === null) return [];
  if (yaml().isScalar(resolved)) return scalarText(resolved) ?? [];
  if (!yaml().isSeq(resolved)) return undefined;
  const items: string[] = [];
  for (const item of resolved.items) {
    const itemNode = yaml().isAlias(item) ? item.resolve(doc) : item;
    if (!yaml().isScalar(itemNode)) return undefined;
    const text = scalarText(itemNode);
    if (text !== null && text !== '') items.push(text);
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
    return {
      ...empty,
      problems: [{ line: 1, message: 'front matter not closed: no second "---" line; read as body' }],
    };
  }
  const after = { body: lines.slice(closing + 1).join('\n'), bodyLine: closing + 2 };
  const source = lines.slice(1, closing).join('\n');
  if (source.length > MAX_FRONT_MATTER_CHARS) {
    const message = `front matter: over ${MAX_FRONT_MATTER_CHARS.toLocaleString('en')} characters; ignored`;
    return { data: {}, keyLines: {}, problems: [{ line: 1, message }], ...after };
  }
  return { ...readYaml(source, lines), ...after };
}

/** The keys, their lines and the problems of the YAML between the delimiters (file line = YAML line + 1). */
function readYaml(source: string, fileLines: readonly string[]): Pick<FrontMatter, 'data' | 'keyLines' | 'problems'> {
  const counter = new (yaml().LineCounter)();
  const doc = yaml().parseDocument(source, {
    schema: 'core',
    lineCounter: counter,
    uniqueKeys: false,
    prettyErrors: false,
  });
  const lineAt = (offset: number): number => counter.linePos(offset).line + 1;
  const data: Record<string, FrontMatterValue> = {};
  const keyLines: Record<string, number> = {};
  const problems: FrontMatter['problems'] = [];
  const report = (line: number, message: string): void => {
    if (!problems.some((p) => p.line === line)) problems.push({ line, message });
  };

  try {
    doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch {
    return {
      data,
      keyLines,
      problems: [{ line: 1, message: `front matter: more than ${MAX_ALIAS_COUNT} alias expansions; ignored` }],
    };
  }
  if (doc.contents !== null && !yaml().isMap(doc.contents)) {
    return {
      data,
      keyLines,
      problems: [{ line: 2, message: 'front matter: not a list of "key: value" lines; ignored' }],
    };
  }

  // Where YAML gave up: a quote left open belongs to the key whose value it opens; anything else to its line.
  const pairs = yaml().isMap(doc.contents) ? doc.contents.items : [];
  const badLines = new Set<number>();
  for (const error of doc.errors) {
    const quote = /^Missing closing ["']quote/.test(error.message);
    const opened = quote
      ? pairs.filter(
          (p) =>
            yaml().isScalar(p.value) &&
            /^QUOTE/.test(String(p.value.type)) &&
            (p.value.range?.[1] ?? 0) >= error.pos[0],
        )
      : [];
    const pair = opened[0];
    if (pair && yaml().isScalar(pair.key) && pair.key.range) {
      const line = lineAt(pair.key.range[0]);
      badLines.add(line);
      report(line, `front matter: unclosed quote for "${String(pair.key.value).toLowerCase()}"`);
      continue;
    }
    const line = lineAt(error.pos[0]);
    badLines.add(line);
    report(line, `front matter: line not understood: "${(fileLines[line - 1] ?? '').trim()}"`);
  }

  for (const pair of pairs) {
    if (!yaml().isScalar(pair.key) || !pair.key.range) continue;
    const line = lineAt(pair.key.range[0]);
    if (badLines.has(line)) continue;
    const key = String(pair.key.value).toLowerCase();
    const value = frontMatterValue(pair.value as Node | null, doc);
    if (value === undefined) {
      report(line, `front matter: "${key}" should be a string or a list of strings; ignored`);
      continue;
    }
    data[key] = value;
    keyLines[key] = line;
  }
  problems.sort((a, b) => a.line - b.line);
  return { data, keyLines, problems };
}
