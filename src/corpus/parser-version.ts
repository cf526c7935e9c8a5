import { digestSources } from '../source-digest.js';

/**
 * The corpus parser's version: a digest of the corpus reader's source files.
 * The snapshot holds parsed articles, so when parsing changes (a new metadata
 * rule, a paragraph split) an old snapshot is rebuilt even if no corpus file changed.
 */
export const PARSER_VERSION = digestSources(new URL('./', import.meta.url));
