/**
 * The parsed query as a tree, and how to print it back as query syntax.
 * Leaves are query items (what a document can contain); inner nodes combine them.
 */

/** Metadata fields a query term can be restricted to (`author:` and `byline:` are `author`). */
export type MetaFieldName = 'author' | 'source' | 'section' | 'tag' | 'person' | 'org' | 'place';

/**
 * Where a word, phrase or pattern is looked for when not everywhere: `title`, the headline;
 * `lead`, the headline and the first paragraph (what a story is about: Nexis's `hlead`).
 */
export type TextField = 'title' | 'lead';

/** A word (normalized form), maybe also matched as a prefix; `field` restricts where (see {@link TextField}). */
export interface WordItem {
  type: 'word';
  form: string;
  prefix: boolean;
  field?: TextField;
}

/** Forms in order: adjacent (no `slop`) or, with `slop` (Lucene's sloppy phrase), within that many position moves. */
export interface PhraseItem {
  type: 'phrase';
  forms: string[];
  slop?: number;
  field?: TextField;
}

/** A word pattern with `*` (any letters) and `?` (one letter), normalized like a word; never starts with one. */
export interface WildcardItem {
  type: 'wildcard';
  pattern: string;
  field?: TextField;
}

/** What NEAR and ADJ relate: a word, a pattern or a phrase (never with a field or a slop). */
export type ProximityOperand = WordItem | PhraseItem | WildcardItem;

/**
 * Both operands in one paragraph (or headline) with at most `distance` words between them;
 * `ordered`: the first before the second. With `unit` (`w/p`, `SAME`, `w/s`) the distance
 * does not count: both operands in one paragraph (or headline), or in one sentence of it.
 */
export interface NearItem {
  type: 'near';
  distance: number;
  ordered: boolean;
  unit?: 'paragraph' | 'sentence';
  operands: [ProximityOperand, ProximityOperand];
}

/** Articles whose paragraphs hold the word (any form: its stem) at least `count` times (`atleast3:haiti`). */
export interface AtLeastItem {
  type: 'atleast';
  form: string;
  count: number;
}

/** Articles whose metadata field has a value holding these forms as consecutive tokens (a form may be a `*`/`?` pattern). */
export interface MetaItem {
  type: 'meta';
  field: MetaFieldName;
  forms: string[];
}

/** One thing a document (or article) can contain. */
export type QueryItem = WordItem | PhraseItem | WildcardItem | NearItem | MetaItem | AtLeastItem;

/**
 * A query tree. `and`: every positive child; `or`: at least one positive child.
 * In both, a `not` child is excluded (as a `-` part of a Lucene boolean query: it
 * removes matches, it never adds any), and a group with no positive child matches nothing.
 * `implicit`: the parts were written side by side, combined by `matchingStrategy`.
 */
export type QueryNode = QueryItem | GroupNode | NotNode;
export interface GroupNode {
  op: 'and' | 'or';
  implicit?: true;
  children: QueryNode[];
}
export interface NotNode {
  op: 'not';
  child: QueryNode;
}

export function isItem(node: QueryNode): node is QueryItem {
  return 'type' in node;
}

const fieldPrefix = (item: { field?: string }) => (item.field ? `${item.field}:` : '');

/** One item as query syntax (`prefix` words end in `*`). */
export function printItem(item: QueryItem | ProximityOperand): string {
  switch (item.type) {
    case 'word':
      return fieldPrefix(item) + item.form + (item.prefix ? '*' : '');
    case 'wildcard':
      return fieldPrefix(item) + item.pattern;
    case 'phrase':
      return `${fieldPrefix(item)}"${item.forms.join(' ')}"${'slop' in item && item.slop !== undefined ? `~${item.slop}` : ''}`;
    case 'near': {
      const op =
        item.unit === 'paragraph'
          ? 'w/p'
          : item.unit === 'sentence'
            ? 'w/s'
            : `${item.ordered ? 'ADJ' : 'NEAR'}/${item.distance}`;
      return `${printItem(item.operands[0])} ${op} ${printItem(item.operands[1])}`;
    }
    case 'atleast':
      return `atleast${item.count}:${item.form}`;
    case 'meta':
      return `${item.field}:${item.forms.length === 1 ? item.forms[0] : `"${item.forms.join(' ')}"`}`;
  }
}

/** A key equal for items that match the same documents (a word with and without prefix share it). */
export function itemKey(item: QueryItem): string {
  return item.type === 'word' ? fieldPrefix(item) + item.form : printItem(item);
}

/**
 * The tree as query syntax that parses back to the same tree (with the same
 * `defaultOperator`): nested groups in parentheses, `-` for NOT.
 */
export function printQuery(node: QueryNode): string {
  if (isItem(node)) return printItem(node);
  if (node.op === 'not') return `-${isItem(node.child) ? printItem(node.child) : `(${printQuery(node.child)})`}`;
  const joiner = node.implicit ? ' ' : node.op === 'and' ? ' AND ' : ' OR ';
  // Parentheses only where precedence needs them (fewer levels: the parser bounds nesting).
  const bare = (child: GroupNode) => !child.implicit && (node.implicit || (node.op === 'or' && child.op === 'and'));
  // A NOT inside an explicit OR is parenthesized: `a OR -b` ignores the OR, as it always did.
  const bareNot = !(node.op === 'or' && !node.implicit);
  return node.children
    .map((child) =>
      isItem(child) || (child.op === 'not' ? bareNot : bare(child)) ? printQuery(child) : `(${printQuery(child)})`,
    )
    .join(joiner);
}
