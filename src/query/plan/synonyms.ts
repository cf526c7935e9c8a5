/**
 * Synonyms: the newsroom's equivalences (Kiev/Kyiv, UN/United Nations) and one-way rules
 * (`nyc` → `new york city`), applied when a query is planned, never at indexing: a change
 * takes effect with the next search, with no rebuild.
 *
 * The set is what clients send and read (`PUT`/`GET /synonyms`, `SYNONYMS_FILE`):
 * `{"groups": [["kyiv", "kiev"], ["united nations", "un"]], "oneWay": [{"from": "nyc", "to": ["new york city"]}]}`.
 * In a group every entry finds the others; a one-way rule's `from` finds its `to`, not back.
 * An entry is one word or several; it is matched by the analyzer's forms of its words
 * (so `Kyiv's` or `KYIV` in a query are `kyiv`), and an entry that is several words
 * matches the same words side by side in the query, or the same quoted phrase.
 */
import { tokenize } from '../../analysis/tokenize.js';
import { SearchError } from '../../errors.js';

/** The synonym set as clients write it. */
export interface SynonymSet {
  groups: string[][];
  oneWay: { from: string; to: string[] }[];
}

/** Most groups plus one-way rules in a set. */
export const MAX_SYNONYM_RULES = 10_000;
/** Most entries in one group, or targets of one one-way rule. */
export const MAX_RULE_ENTRIES = 32;
/** Most words of one entry. */
export const MAX_ENTRY_WORDS = 8;
/** Longest entry, in UTF-16 units. */
export const MAX_ENTRY_LENGTH = 200;
/**
 * Most synonyms one query word (or run of words) expands to, in the order the set lists
 * them: bounds a query's cost as `MAX_PREFIX_TERMS` (expand-terms.ts) bounds a prefix's.
 */
export const MAX_SYNONYMS_PER_ENTRY = 8;

/** The empty set. */
export const NO_SYNONYMS: SynonymSet = { groups: [], oneWay: [] };

function invalid(message: string): SearchError {
  return new SearchError('invalid_synonyms', message);
}

/** An entry's words: the analyzer's forms, in order. */
function formsOf(entry: string): string[] {
  return tokenize(entry).map((t) => t.form);
}

function checkEntry(value: unknown, where: string): string {
  if (typeof value !== 'string') throw invalid(`${where} must be a string.`);
  if (value.length > MAX_ENTRY_LENGTH) throw invalid(`${where} is longer than ${MAX_ENTRY_LENGTH} characters.`);
  const forms = formsOf(value);
  if (forms.length === 0) throw invalid(`${where} (\`${value.slice(0, 80)}\`) holds no word.`);
  if (forms.length > MAX_ENTRY_WORDS)
    throw invalid(`${where} (\`${value.slice(0, 80)}\`) has more than ${MAX_ENTRY_WORDS} words.`);
  return value.trim();
}

function checkList(value: unknown, where: string, least: number): string[] {
  if (!Array.isArray(value)) throw invalid(`${where} must be an array of strings.`);
  if (value.length < least || value.length > MAX_RULE_ENTRIES)
    throw invalid(`${where} must hold ${least} to ${MAX_RULE_ENTRIES} entries.`);
  return value.map((entry, i) => checkEntry(entry, `${where}[${i}]`));
}

/**
 * The synonym set of a request body or a file, checked: an object with `groups` (arrays
 * of 2 to {@link MAX_RULE_ENTRIES} entries) and `oneWay` (`{from, to}` with `to` 1 to
 * {@link MAX_RULE_ENTRIES} entries), either may be absent (empty); each entry a string of
 * 1 to {@link MAX_ENTRY_WORDS} words, at most {@link MAX_ENTRY_LENGTH} characters; at most
 * {@link MAX_SYNONYM_RULES} rules. Entries come back trimmed. Throws `invalid_synonyms`
 * naming the first bad entry (`groups[1][0]`, `oneWay[0].to`).
 */
export function parseSynonymSet(value: unknown): SynonymSet {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalid('The synonym set must be a JSON object with `groups` and `oneWay`.');
  const extra = Object.keys(value).find((k) => k !== 'groups' && k !== 'oneWay');
  if (extra !== undefined)
    throw invalid(`Unknown field \`${extra.slice(0, 80)}\`; a synonym set has \`groups\` and \`oneWay\`.`);
  const raw = value as { groups?: unknown; oneWay?: unknown };
  const rawGroups = raw.groups ?? [];
  const rawOneWay = raw.oneWay ?? [];
  if (!Array.isArray(rawGroups)) throw invalid('`groups` must be an array of arrays of strings.');
  if (!Array.isArray(rawOneWay)) throw invalid('`oneWay` must be an array of `{"from", "to"}` objects.');
  if (rawGroups.length + rawOneWay.length > MAX_SYNONYM_RULES)
    throw invalid(`A synonym set holds at most ${MAX_SYNONYM_RULES} groups and one-way rules together.`);
  const groups = rawGroups.map((group, i) => checkList(group, `groups[${i}]`, 2));
  const oneWay = rawOneWay.map((rule, i) => {
    if (typeof rule !== 'object' || rule === null || Array.isArray(rule))
      throw invalid(`oneWay[${i}] must be an object \`{"from", "to"}\`.`);
    const odd = Object.keys(rule).find((k) => k !== 'from' && k !== 'to');
    if (odd !== undefined) throw invalid(`oneWay[${i}] has an unknown field \`${odd.slice(0, 80)}\`.`);
    const { from, to } = rule as { from?: unknown; to?: unknown };
    return { from: checkEntry(from, `oneWay[${i}].from`), to: checkList(to, `oneWay[${i}].to`, 1) };
  });
  return { groups, oneWay };
}

/** One synonym of a query entry: its words' forms, and the entry as written in the set. */
export interface Synonym {
  forms: string[];
  text: string;
}

/**
 * A synonym set ready for query planning: entry (its forms joined by a space) → the
 * synonyms it finds, at most {@link MAX_SYNONYMS_PER_ENTRY}, never itself. Built once per
 * set; `size` 0 for the empty set.
 */
export class SynonymTable {
  private readonly rules = new Map<string, Synonym[]>();
  /** Most words of an entry that has synonyms (how far a query is scanned for runs). */
  readonly longestEntry: number;

  constructor(readonly set: SynonymSet) {
    const add = (from: string, to: string) => {
      const key = formsOf(from).join(' ');
      const forms = formsOf(to);
      if (forms.join(' ') === key) return;
      const list = this.rules.get(key) ?? [];
      if (list.length < MAX_SYNONYMS_PER_ENTRY && !list.some((s) => s.forms.join(' ') === forms.join(' ')))
        list.push({ forms, text: to });
      this.rules.set(key, list);
    };
    for (const group of set.groups) for (const from of group) for (const to of group) add(from, to);
    for (const { from, to } of set.oneWay) for (const target of to) add(from, target);
    let longest = 0;
    for (const key of this.rules.keys()) longest = Math.max(longest, key.split(' ').length);
    this.longestEntry = longest;
  }

  /** Entries with synonyms. */
  get size(): number {
    return this.rules.size;
  }

  /** The synonyms of the query words `forms` taken together (empty when none). */
  lookup(forms: readonly string[]): readonly Synonym[] {
    return this.rules.get(forms.join(' ')) ?? [];
  }
}

/** The table of the empty set. */
export const EMPTY_SYNONYMS = new SynonymTable(NO_SYNONYMS);
