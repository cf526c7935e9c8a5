/**
 * The lexicon: every word form of the archive with its document frequency,
 * for prefixes, typo corrections, wildcards and `/suggest`. This is its one
 * door; the rest of the code imports from here.
 *
 * - `forms-lexicon.ts`: the immutable, sorted list (off the JS heap), and its file format.
 * - `lexicon-of.ts`: a lexicon built from segments, or moved along by a delta.
 * - `layered-lexicon.ts`: a base lexicon with the changes since laid over it.
 * - `index-lexicon-state.ts`: the writer's lexicon over time, shared by its readers.
 */
export { FormsLexicon, type LexiconEntry } from './forms-lexicon.js';
export { IndexLexiconState } from './index-lexicon-state.js';
export { boundedDistance, LayeredLexicon, type Lexicon } from './layered-lexicon.js';
export { applyDelta, lexiconOf } from './lexicon-of.js';
