import { tokenize } from '../../analysis/tokenize.js';
import { lexQuery, type Ignored, type Lexeme, type QueryField } from './query-lexer.js';
import {
  isItem,
  type GroupNode,
  type NearItem,
  type ProximityOperand,
  type QueryItem,
  type QueryNode,
} from './query-tree.js';
import { foldPattern } from '../plan/wildcard.js';

/** Most words in one phrase. */
export const MAX_PHRASE_WORDS = 32;
/** Most operand pairs a `w/p` or `w/s` between groups expands to (`(a OR b) w/s (c OR d)`: 4); the rest are dropped. */
export const MAX_WITHIN_PAIRS = 16;
/** Deepest nesting of parentheses; deeper ones are ignored (their contents are kept). */
export const MAX_DEPTH = 16;

type TermLexeme = Extract<Lexeme, { kind: 'term' }>;

/** The tree of a query, what was ignored, and the word leaf of the query's last lexeme (for search as you type). */
export interface BooleanParse {
  tree: QueryNode | null;
  ignored: Ignored[];
  /** The word made from the last lexeme when it is a bare, positive word: the one `prefixLast` applies to. */
  lastWord: Extract<QueryItem, { type: 'word' }> | null;
  /** Words written with a trailing `*` (`polit*`): their prefix expansion is a wildcard's, and says when it was cut. */
  starred: Set<QueryItem>;
  /** True when the query used syntax beyond words, phrases, `-` and `OR`: `AND`, `NOT`, parentheses, `NEAR`/`ADJ`, a field, a slop. */
  operators: boolean;
}

/**
 * The query item a term lexeme stands for (null, and listed as ignored, when it
 * has no word). A bare word the tokenizer splits (`Port-au-Prince`) is a phrase
 * of its parts; a word with `*` or `?` is a pattern (a trailing `*` only: a prefix).
 */
function itemOf(
  lexeme: TermLexeme,
  field: QueryField | null,
  ignored: Ignored[],
  starred: Set<QueryItem>,
): QueryItem | null {
  const drop = () => (ignored.push({ at: lexeme.at, raw: lexeme.raw }), null);
  const pattern = lexeme.quoted ? null : foldPattern(lexeme.text);
  if (pattern?.kind === 'leading') return drop();
  if (lexeme.atLeast !== null) {
    const forms = pattern ? [] : tokenize(lexeme.text).map((t) => t.form);
    if (forms.length === 1 && field === null) return { type: 'atleast', form: forms[0]!, count: lexeme.atLeast };
    // A count of a phrase, a pattern or a field's value: the count is ignored, the rest searched as written.
    ignored.push({
      at: lexeme.at + (lexeme.negated ? 1 : 0),
      raw: /^atleast\d+:/i.exec(lexeme.raw.replace(/^-/, ''))?.[0] ?? 'atleast:',
    });
  }
  if (field !== null && field !== 'title' && field !== 'lead') {
    const forms = pattern
      ? [pattern.kind === 'prefix' ? `${pattern.pattern}*` : pattern.pattern]
      : tokenize(lexeme.text)
          .map((t) => t.form)
          .slice(0, MAX_PHRASE_WORDS);
    return forms.length === 0 ? drop() : { type: 'meta', field, forms };
  }
  const title = field === 'title' || field === 'lead' ? { field } : {};
  if (pattern?.kind === 'prefix') {
    const word: QueryItem = { type: 'word', form: pattern.pattern, prefix: true, ...title };
    starred.add(word);
    return word;
  }
  if (pattern?.kind === 'glob') return { type: 'wildcard', pattern: pattern.pattern, ...title };
  const forms = tokenize(lexeme.text)
    .map((t) => t.form)
    .slice(0, MAX_PHRASE_WORDS);
  if (forms.length === 0) return drop();
  if (forms.length === 1 && !lexeme.quoted) return { type: 'word', form: forms[0]!, prefix: false, ...title };
  const slop = lexeme.slop !== null && lexeme.slop > 0 && forms.length > 1 ? { slop: lexeme.slop } : {};
  return { type: 'phrase', forms, ...slop, ...title };
}

/** A group of `children` (the child itself when it is the only one), null when empty. */
function group(op: 'and' | 'or', children: QueryNode[], implicit: boolean): QueryNode | null {
  if (children.length === 0) return null;
  if (children.length === 1) return children[0]!;
  const node: GroupNode = { op, children };
  if (implicit) node.implicit = true;
  return node;
}

const asOperand = (item: QueryItem): ProximityOperand | null =>
  (item.type === 'word' || item.type === 'wildcard' || (item.type === 'phrase' && item.slop === undefined)) &&
  item.field === undefined
    ? item
    : null;

/** The alternatives of a `w/p` or `w/s` side: an operand, or a group of operands joined by `OR` (null: neither). */
function withinOperands(node: QueryNode | null): ProximityOperand[] | null {
  if (node === null) return null;
  if (isItem(node)) {
    const operand = asOperand(node);
    return operand ? [operand] : null;
  }
  if (node.op !== 'or' || node.implicit) return null;
  const operands = node.children.map((child) => (isItem(child) ? asOperand(child) : null));
  return operands.every((o) => o !== null) ? (operands as ProximityOperand[]) : null;
}

/**
 * Parses a query into a tree. Never fails. Precedence, loosest first: parts side
 * by side (combined by `defaultOperator`), `OR`, `AND`, `NOT`/`-`, `NEAR`/`ADJ`;
 * parentheses group. A dangling operator, an unbalanced parenthesis, an operator
 * whose right side is negated (`a OR -b`, except `AND -b` / `AND NOT b`) or a
 * NEAR between things that are not words or phrases is ignored (and listed).
 * `w/p`, `SAME` and `w/s` also take groups of alternatives (`"central bank" w/s
 * (raise* OR hike*)`), expanded into an `OR` of one item per pair of alternatives.
 */
export function parseBoolean(query: string, defaultOperator: 'and' | 'or'): BooleanParse {
  const ignored: Ignored[] = [];
  const lexemes = lexQuery(query, ignored);
  let at = 0;
  let depth = 0;
  let droppedOpens = 0;
  let lastWord: BooleanParse['lastWord'] = null;
  const starred = new Set<QueryItem>();
  const peek = () => lexemes[at];
  const skip = () => {
    const lexeme = lexemes[at++]!;
    ignored.push({ at: lexeme.at, raw: lexeme.raw });
  };
  /** Whether the next lexeme can start a positive operand. */
  const startsPositive = () => {
    const next = peek();
    return next !== undefined && ((next.kind === 'term' && !next.negated) || (next.kind === 'open' && !next.negated));
  };
  const startsNegated = () => {
    const next = peek();
    return (
      next !== undefined && (next.kind === 'not' || ((next.kind === 'term' || next.kind === 'open') && next.negated))
    );
  };
  const startsOperand = () => {
    const next = peek();
    return next !== undefined && (next.kind === 'term' || next.kind === 'open' || next.kind === 'not');
  };

  /** Parts side by side, up to a `)` (consumed) or the end. */
  function juxtaposed(field: QueryField | null): QueryNode | null {
    const parts: QueryNode[] = [];
    for (;;) {
      const next = peek();
      if (next === undefined) break;
      if (next.kind === 'close') {
        if (droppedOpens > 0) {
          droppedOpens--;
          skip();
          continue;
        }
        if (depth > 0) break;
        skip();
        continue;
      }
      if (!startsOperand()) {
        skip();
        continue;
      }
      const part = chain('or', field);
      if (part) parts.push(part);
    }
    return group(defaultOperator, parts, true);
  }

  /**
   * Operands joined by `OR` (of `AND` chains) or by `AND` (of negations). An `OR`
   * needs a positive operand on both sides (`a OR -b` ignores the OR, as it always
   * did); `AND` takes a negated right side (`a AND NOT b`). Otherwise the operator is ignored.
   */
  function chain(op: 'or' | 'and', field: QueryField | null): QueryNode | null {
    const operand = () => (op === 'or' ? chain('and', field) : negation(field));
    const children: QueryNode[] = [];
    // Whether the operand before the operator was written negated (`-a OR b` ignores the OR).
    let lastNegated = startsNegated();
    const first = operand();
    if (first) children.push(first);
    while (peek()?.kind === op) {
      at++;
      if (children.length === 0 || (op === 'or' ? lastNegated || !startsPositive() : !startsOperand())) {
        at--;
        skip();
        break;
      }
      lastNegated = startsNegated();
      const next = operand();
      if (next) children.push(next);
    }
    return group(op, children, false);
  }

  function negation(field: QueryField | null): QueryNode | null {
    const next = peek();
    if (next?.kind === 'not') {
      at++;
      if (!startsPositive()) {
        at--;
        skip();
        return null;
      }
      const child = proximity(field, true);
      return child ? { op: 'not', child } : null;
    }
    const negated = (next?.kind === 'term' || next?.kind === 'open') && next.negated;
    const node = proximity(field, negated);
    return node && negated ? { op: 'not', child: node } : node;
  }

  /** A primary, maybe followed by NEAR/ADJ and a second primary. */
  function proximity(field: QueryField | null, negated: boolean): QueryNode | null {
    const left = primary(field, negated);
    const op = peek();
    if (op?.kind !== 'near') return left;
    const right = lexemes[at + 1];
    if (op.unit !== 'words') return within(left, op, field);
    const leftOperand = left && 'type' in left ? asOperand(left) : null;
    if (!leftOperand || right?.kind !== 'term' || right.negated || right.field !== null || field !== null) {
      skip();
      return left;
    }
    at++;
    const rightItem = primary(field, false);
    const rightOperand = rightItem && 'type' in rightItem ? asOperand(rightItem) : null;
    if (!rightOperand) {
      ignored.push({ at: op.at, raw: op.raw });
      return rightItem ? { op: 'and', children: [left!, rightItem] } : left;
    }
    return { type: 'near', distance: op.distance, ordered: op.ordered, operands: [leftOperand, rightOperand] };
  }

  /** `left w/p right` or `left w/s right` (the operator is next): an item, or an OR of items for groups; else the operator is ignored. */
  function within(
    left: QueryNode | null,
    op: Extract<Lexeme, { kind: 'near' }>,
    field: QueryField | null,
  ): QueryNode | null {
    const lefts = withinOperands(left);
    const right = lexemes[at + 1];
    const positive = (right?.kind === 'term' || right?.kind === 'open') && !right.negated && right.field === null;
    if (!lefts || !positive || field !== null) {
      skip();
      return left;
    }
    at++;
    const rightNode = primary(field, false);
    const rights = withinOperands(rightNode);
    if (!rights) {
      ignored.push({ at: op.at, raw: op.raw });
      return rightNode ? { op: 'and', children: [left!, rightNode] } : left;
    }
    const unit = op.unit as 'paragraph' | 'sentence';
    const items: NearItem[] = [];
    for (const a of lefts)
      for (const b of rights)
        items.push({ type: 'near', distance: op.distance, ordered: false, unit, operands: [a, b] });
    if (items.length > MAX_WITHIN_PAIRS) ignored.push({ at: op.at, raw: op.raw });
    return group('or', items.slice(0, MAX_WITHIN_PAIRS), false);
  }

  function primary(field: QueryField | null, negated: boolean): QueryNode | null {
    const lexeme = lexemes[at++];
    if (lexeme === undefined) return null;
    if (lexeme.kind === 'open') {
      if (depth >= MAX_DEPTH) {
        droppedOpens++;
        ignored.push({ at: lexeme.at, raw: lexeme.raw });
        return null;
      }
      depth++;
      const inner = juxtaposed(lexeme.field ?? field);
      depth--;
      if (peek()?.kind === 'close') at++;
      else ignored.push({ at: lexeme.at, raw: lexeme.raw });
      return inner;
    }
    if (lexeme.kind !== 'term') {
      ignored.push({ at: lexeme.at, raw: lexeme.raw });
      return null;
    }
    const item = itemOf(lexeme, lexeme.field ?? field, ignored, starred);
    if (item?.type === 'word' && !negated && at === lexemes.length && !lexeme.quoted) lastWord = item;
    return item;
  }

  const tree = juxtaposed(null);
  const operators = lexemes.some((l) => (l.kind === 'term' ? l.field !== null || l.slop !== null : l.kind !== 'or'));
  return { tree, ignored, lastWord, starred, operators };
}
