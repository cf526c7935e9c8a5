import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { packageVersion } from '../package-version.js';

/**
 * Bump by hand when analysis changes in a way the source digest below cannot see
 * (for instance a change in how the index uses the analyzer's output).
 */
const ANALYZER_REVISION = 1;

function digestAnalysisSources(): string {
  const hash = createHash('sha256');
  try {
    const dir = new URL('./', import.meta.url);
    for (const name of readdirSync(dir).sort()) {
      if (name.endsWith('.ts') || name.endsWith('.js')) hash.update(name).update(readFileSync(new URL(name, dir)));
    }
    hash.update(packageVersion('stemmer'));
  } catch {
    hash.update('unreadable');
  }
  return hash.digest('hex').slice(0, 12);
}

/**
 * The analyzer's version: a hand-kept revision plus a digest of the analysis
 * source files and the stemmer's version, so that any change to tokenizing,
 * normalizing or stemming changes it, and a snapshot built with another analyzer
 * is rebuilt instead of silently finding nothing.
 */
export const ANALYZER_VERSION = `${ANALYZER_REVISION}-${digestAnalysisSources()}`;
