/**
 * The one door to `compromise` (a maintained English NLP library, MIT): its
 * lexicon of names, places and organisations, and its lists of words that end
 * an organisation's or a place's name. Entity extraction (`extract-entities.ts`)
 * reads only this. compromise's own tagger is not run: it read about 2,000 words
 * a second here, and missed names it has no lexicon entry for; the lexicon applied
 * to capitalised spans costs a small share of the build instead (see docs/archivist-tools.md).
 */
import { createRequire } from 'node:module';

// Loaded on first use (about 0.7 s), not with the module: a service starting on a built index needs no lexicon.
const requireModule = createRequire(import.meta.url);

/** What compromise's lexicon says a word (or a few words, lowercase) can be. */
export interface EntityLexicon {
  /** The lexicon's tags of a lowercase word or phrase (`haiti` → Country), empty when it has none. */
  tagsOf(key: string): readonly string[];
  /** True when the lowercase word ends an organisation's name (`bank`, `ministry`, `party`). */
  isOrgWord(word: string): boolean;
  /** True when the lowercase word says the name before or after it is a place (`city`, `province`, `river`). */
  isPlaceWord(word: string): boolean;
  /** True when the lowercase word is a title that comes before a person's name (`minister`, `gen`, `governor`). */
  isTitle(word: string): boolean;
}

interface CompromiseModel {
  one: { lexicon: Record<string, string | string[]> };
  two: { orgWords: Record<string, boolean>; placeWords: Record<string, boolean> };
}

// Words compromise's lists lack that put a place next to a name in news copy ("the capital Port-au-Prince").
const MORE_PLACE_WORDS = [
  'city',
  'capital',
  'town',
  'village',
  'province',
  'region',
  'state',
  'county',
  'district',
  'island',
  'islands',
  'port',
];
// Words that end an organisation's name and titles, where compromise's lists lack them.
const MORE_ORG_WORDS = [
  'party',
  'council',
  'committee',
  'commission',
  'ministry',
  'department',
  'parliament',
  'senate',
  'congress',
  'court',
  'office',
  'federation',
  'league',
  'government',
  'plc',
];
const MORE_TITLES = [
  'mp',
  'governor',
  'spokesman',
  'spokeswoman',
  'chancellor',
  'senator',
  'premier',
  'ambassador',
  'commissioner',
  'envoy',
];
const NONE: readonly string[] = [];

let loaded: EntityLexicon | null = null;

/** The lexicon, loaded once per thread, on first use (a few hundred milliseconds). */
export function entityLexicon(): EntityLexicon {
  if (loaded) return loaded;
  const nlp = requireModule('compromise/two') as { model(): CompromiseModel };
  const model = nlp.model();
  const lexicon = new Map<string, readonly string[]>();
  for (const [key, tags] of Object.entries(model.one.lexicon)) lexicon.set(key, Array.isArray(tags) ? tags : [tags]);
  const orgWords = new Set([...Object.keys(model.two.orgWords), ...MORE_ORG_WORDS]);
  const titles = new Set(MORE_TITLES);
  for (const [key, tags] of lexicon)
    if (!key.includes(' ') && tags.some((t) => t === 'Honorific' || t === 'Actor')) titles.add(key);
  const placeWords = new Set([...Object.keys(model.two.placeWords), ...MORE_PLACE_WORDS]);
  loaded = {
    tagsOf: (key) => lexicon.get(key) ?? NONE,
    isOrgWord: (word) => orgWords.has(word),
    isPlaceWord: (word) => placeWords.has(word),
    isTitle: (word) => titles.has(word),
  };
  return loaded;
}
