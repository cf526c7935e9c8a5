import type { ArchiveIndex } from '../../index/archive-index.js';
import type { IdList } from '../../index/id-list.js';
import { atLeastArticles } from './at-least-articles.js';
import type { ClauseScratch } from './fold-clause.js';
import { keepLeadParagraphs } from './lead-paragraphs.js';
import { metaArticles } from './meta-articles.js';
import type { PhraseChecker } from './phrase-checker.js';
import type { ProximityChecker } from './proximity-checker.js';
import type { QueryMatches } from './query-matches.js';
import type { CompiledItem } from './query-plan.js';
import type { TermScorer } from './term-scorer.js';

/** Sets `array[i]` back to 0 for each listed index. */
function clear(array: Float64Array, touched: IdList): void {
  for (let i = 0; i < touched.length; i++) array[touched.ids[i]!] = 0;
}

/**
 * Marks in `matches` every paragraph and article holding one of the `excluded` items
 * (exact form or stem, the phrase, the proximity, the metadata term) among the articles
 * `filter` lets through. `phrases` and `proximities` are the query's checkers (their
 * filter already set); `leadPara`/`leadTouched` a `lead:` item's scratch. Leaves the
 * scratch at zero.
 */
export function markExclusions(
  index: ArchiveIndex,
  excluded: readonly CompiledItem[],
  scorer: TermScorer,
  filter: Uint8Array | null,
  matches: QueryMatches,
  checkers: { phrases: PhraseChecker; proximities: ProximityChecker },
  s: Pick<ClauseScratch, 'clausePara' | 'clauseTitle' | 'paraTouched' | 'titleTouched'>,
  lead: { leadPara: Float64Array; leadTouched: IdList },
): void {
  const { phrases, proximities } = checkers;
  const { clausePara, clauseTitle, paraTouched, titleTouched } = s;
  const { leadPara, leadTouched } = lead;
  for (const item of excluded) {
    const lead = 'field' in item && item.field === 'lead';
    const [excludedPara, excludedTouched] = lead ? [leadPara, leadTouched] : [clausePara, paraTouched];
    if (item.type === 'phrase')
      phrases.accumulate(item.forms, excludedPara, excludedTouched, clauseTitle, titleTouched, item.field === 'title');
    else if (item.type === 'proximity')
      proximities.accumulate(item, excludedPara, excludedTouched, clauseTitle, titleTouched);
    else if (item.type === 'meta') {
      const accepted = metaArticles(index, item.item, filter);
      for (let ord = 0; ord < accepted.length; ord++) if (accepted[ord]) matches.articleExcluded[ord] = 1;
    } else {
      const allowed = item.atLeast === undefined ? filter : atLeastArticles(index, item.form, item.atLeast, filter);
      for (const e of item.expansions) {
        if (item.field !== 'title') scorer.accumulate('paragraphs', e.term, 1, excludedPara, excludedTouched, allowed);
        scorer.accumulate('titles', e.term, 1, clauseTitle, titleTouched, allowed);
      }
    }
    if (lead) keepLeadParagraphs(index, leadPara, leadTouched, clausePara, paraTouched);
    for (let i = 0; i < paraTouched.length; i++) {
      const doc = paraTouched.ids[i]!;
      matches.paraExcluded[doc] = 1;
      matches.articleExcluded[index.paraArticle[doc]!] = 1;
      matches.excludedTouched.push(doc);
    }
    for (let i = 0; i < titleTouched.length; i++)
      matches.articleExcluded[index.titleArticle[titleTouched.ids[i]!]!] = 1;
    clear(clausePara, paraTouched);
    clear(clauseTitle, titleTouched);
    paraTouched.clear();
    titleTouched.clear();
  }
}
