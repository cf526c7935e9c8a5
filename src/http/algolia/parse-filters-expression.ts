import { SearchError } from '../../errors.js';
import { quoteValue } from '../quote-value.js';
import { ALGOLIA_PARAM_CODE, type NestedFilters } from './read-algolia-params.js';

/**
 * The `filters` parameter, in the subset of Algolia's filter syntax this service reads: an AND of
 * items, each a facet filter `attribute:value` (`section:World`, `author:"Michael Rios"`), a numeric
 * comparison `attribute >= number` (`<`, `<=`, `=`, `>`, `>=`), a range `attribute:low TO high`, or a
 * parenthesised OR of facet filters (`(source:CNN OR source:BBC)`). `NOT`, `!=`, tag filters
 * (`_tags:`) and ORs of numeric comparisons are not read: they are a 400 naming the part.
 *
 * Returned as the equivalent `facetFilters` and `numericFilters` (an AND of items, an item a
 * string or an OR list), which the rest of the translation reads.
 */
export function parseFiltersExpression(expression: string): {
  facetFilters: NestedFilters;
  numericFilters: NestedFilters;
} {
  const tokens = tokenizeFilters(expression);
  const facetFilters: NestedFilters = [];
  const numericFilters: NestedFilters = [];
  let at = 0;
  const peek = () => tokens[at];
  const fail = (message: string): never => {
    throw new SearchError(
      ALGOLIA_PARAM_CODE,
      `\`filters\`: ${message} (in \`${quoteValue(expression)}\`). See the supported subset in the docs.`,
    );
  };
  /** One comparison or facet filter, as a `numericFilters` or `facetFilters` string. */
  const atom = (): { kind: 'facet' | 'numeric'; text: string } => {
    const attribute = tokens[at++];
    if (attribute === undefined || attribute.kind !== 'word') return fail('expected an attribute');
    if (attribute.text === 'NOT') return fail('`NOT` is not supported');
    const op = tokens[at++];
    if (op?.kind === 'op') {
      const value = tokens[at++];
      if (value?.kind !== 'word' || !isNumber(value.text))
        return fail(`expected a number after \`${attribute.text} ${op.text}\``);
      if (op.text === '!=') return fail('`!=` is not supported');
      return { kind: 'numeric', text: `${attribute.text}${op.text}${value.text}` };
    }
    if (op?.kind !== 'colon') return fail(`expected \`:\` or a comparison after \`${attribute.text}\``);
    const value = tokens[at++];
    if (value === undefined || (value.kind !== 'word' && value.kind !== 'quoted'))
      return fail(`expected a value after \`${attribute.text}:\``);
    if (value.kind === 'word' && peek()?.kind === 'word' && peek()?.text === 'TO') {
      at++;
      const high = tokens[at++];
      if (high?.kind !== 'word' || !isNumber(value.text) || !isNumber(high.text))
        return fail(`expected \`${attribute.text}:low TO high\` with numbers`);
      return { kind: 'numeric', text: `${attribute.text}:${value.text} TO ${high.text}` };
    }
    // A quoted value is taken as it is; a bare one starting with `-` is a negation in Algolia's syntax.
    const text =
      value.kind === 'word' && value.text.startsWith('-')
        ? fail('negated facet filters are not supported')
        : value.text;
    return {
      kind: 'facet',
      text: `${attribute.text}:${value.kind === 'quoted' && text.startsWith('-') ? `\\${text}` : text}`,
    };
  };
  while (at < tokens.length) {
    if (peek()?.kind === 'open') {
      at++;
      const group: string[] = [];
      for (;;) {
        const item = atom();
        if (item.kind === 'numeric') fail('ORs of numeric comparisons are not supported');
        group.push(item.text);
        const next = tokens[at++];
        if (next?.kind === 'close') break;
        if (next?.kind !== 'word' || next.text !== 'OR') fail('expected `OR` or `)`');
      }
      facetFilters.push(group);
    } else {
      const item = atom();
      (item.kind === 'facet' ? facetFilters : numericFilters).push(item.text);
    }
    if (at < tokens.length) {
      const joint = tokens[at++];
      if (joint?.kind !== 'word' || joint.text !== 'AND')
        fail(joint?.kind === 'word' && joint.text === 'OR' ? 'an `OR` must be inside parentheses' : 'expected `AND`');
      if (at === tokens.length) fail('nothing after `AND`');
    }
  }
  return { facetFilters, numericFilters };
}

interface FilterToken {
  kind: 'word' | 'quoted' | 'op' | 'colon' | 'open' | 'close';
  text: string;
}

const isNumber = (text: string) => /^-?[0-9]+(\.[0-9]+)?$/.test(text);

/** Words, `"quoted values"` (with `\"` inside), `:`, comparison operators and parentheses. */
function tokenizeFilters(expression: string): FilterToken[] {
  const tokens: FilterToken[] = [];
  let i = 0;
  while (i < expression.length) {
    const c = expression[i]!;
    if (/\s/.test(c)) i++;
    else if (c === '(' || c === ')') tokens.push({ kind: c === '(' ? 'open' : 'close', text: c }), i++;
    else if (c === ':') tokens.push({ kind: 'colon', text: c }), i++;
    else if ('<>=!'.includes(c)) {
      const op = expression.slice(i, i + 2);
      const text = ['<=', '>=', '!='].includes(op) ? op : c;
      tokens.push({ kind: 'op', text });
      i += text.length;
    } else if (c === '"' || c === "'") {
      let value = '';
      let j = i + 1;
      while (j < expression.length && expression[j] !== c) {
        if (expression[j] === '\\' && j + 1 < expression.length) j++;
        value += expression[j];
        j++;
      }
      if (j >= expression.length)
        throw new SearchError(
          ALGOLIA_PARAM_CODE,
          `\`filters\`: a quoted value is not closed (in \`${quoteValue(expression)}\`).`,
        );
      tokens.push({ kind: 'quoted', text: value });
      i = j + 1;
    } else {
      let j = i;
      while (j < expression.length && !/[\s():<>=!"']/.test(expression[j]!)) j++;
      tokens.push({ kind: 'word', text: expression.slice(i, j) });
      i = j;
    }
  }
  return tokens;
}
