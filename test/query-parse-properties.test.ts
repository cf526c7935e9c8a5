import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseQuery } from '../src/query/parse/parse-query.js';
import { printQuery } from '../src/query/parse/query-tree.js';

/** Pieces of query syntax, glued at random: words, operators, parentheses, quotes, fields, wildcards, slops. */
const piece = fc.constantFrom(
  'flood',
  'Kenya',
  'Ríos',
  'U.S.',
  'Port-au-Prince',
  '1,000',
  'don’t',
  'and',
  'not',
  'near',
  'AND',
  'OR',
  'NOT',
  'NEAR/3',
  'ADJ/2',
  'NEAR',
  '(',
  ')',
  '((',
  '))',
  '"',
  '"a b"',
  '"a b"~4',
  '~2',
  '-',
  '-x',
  '-(',
  'title:',
  'author:',
  'byline:',
  'source:',
  'tag:',
  'section:',
  'foo:',
  '10:30',
  'http://x',
  'wom?n',
  'polit*',
  '*ation',
  'a*b?c',
  '?',
  '*',
  '&&',
  ':',
  ' ',
  ' ',
  ' ',
);
const query = fc.array(piece, { maxLength: 24 }).map((parts) => parts.join(''));
const spaced = fc.array(piece, { maxLength: 24 }).map((parts) => parts.join(' '));
const operator = fc.constantFrom<'and' | 'or'>('and', 'or');

describe('parseQuery properties', () => {
  it('never throws, on query syntax glued at random or on any string', () => {
    fc.assert(
      fc.property(
        fc.oneof(query, spaced, fc.string({ maxLength: 200 })),
        fc.boolean(),
        operator,
        (q, prefixLast, defaultOperator) => {
          const parsed = parseQuery(q, { prefixLast, defaultOperator });
          expect(parsed.clauses.length).toBeLessThanOrEqual(32);
        },
      ),
      { numRuns: 2000 },
    );
  });

  // A trailing space says the last word is finished (no prefix unless printed with `*`), as a user's query does.
  it('round-trips: printing the tree and parsing it again gives the same tree', () => {
    fc.assert(
      fc.property(fc.oneof(query, spaced), fc.boolean(), operator, (q, prefixLast, defaultOperator) => {
        const { tree } = parseQuery(q, { prefixLast, defaultOperator });
        if (tree === null) return;
        const printed = `${printQuery(tree)} `;
        expect(parseQuery(printed, { prefixLast, defaultOperator }).tree, printed).toEqual(tree);
      }),
      { numRuns: 2000 },
    );
  });

  it('ignores no syntax when a printed tree is parsed again (only a NOT group with nothing positive to narrow)', () => {
    fc.assert(
      fc.property(spaced, operator, (q, defaultOperator) => {
        const { tree } = parseQuery(q, { prefixLast: false, defaultOperator });
        if (tree === null) return;
        const { ignored } = parseQuery(printQuery(tree), { prefixLast: false, defaultOperator });
        expect(ignored.filter((x) => x !== '-(…)')).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });

  it('gives the flat clauses of before to a query of words, phrases, - and OR (no match tree)', () => {
    const word = fc.constantFrom('flood', 'kenya', '"a b"', '-sport', '-"x y"', 'OR');
    fc.assert(
      fc.property(fc.array(word, { maxLength: 10 }), (words) => {
        expect(parseQuery(words.join(' '), { prefixLast: true }).match).toBeNull();
      }),
    );
  });
});
