import { packageVersion } from '../package-version.js';
import { digestSources } from '../source-digest.js';

/**
 * Bump by hand when analysis changes in a way the source digest below cannot see
 * (for instance a change in how the index uses the analyzer's output).
 */
const ANALYZER_REVISION = 2;

/**
 * The analyzer's version: a hand-kept revision plus a digest of the analysis
 * source files and the stemmer's version, so that any change to tokenizing,
 * normalizing or stemming changes it, and a snapshot built with another analyzer
 * is rebuilt instead of silently finding nothing.
 */
export const ANALYZER_VERSION = `${ANALYZER_REVISION}-${digestSources(new URL('./', import.meta.url), [packageVersion('stemmer')])}`;
