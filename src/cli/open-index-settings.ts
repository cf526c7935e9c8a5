/**
 * The command-line settings that decide how the index is opened, shared by
 * `index` and `serve`.
 */

import type { OpenIndexOptions } from '../index/open-index.js';
import type { CliSettings } from './parse-args.js';

/** The settings {@link openIndexSettings} reads. */
export type OpenSettings = Pick<CliSettings, 'corpusDir' | 'cacheDir'> &
  Partial<Pick<CliSettings, 'maxFileBytes' | 'followOutsideLinks' | 'verify' | 'rebuild' | 'bufferParagraphs'>>;

/** `openIndex` options from CLI settings: folders, corpus limits (defaults where unset), `--verify`, `--rebuild`, `--buffer`. */
export function openIndexSettings(
  settings: OpenSettings,
): Pick<OpenIndexOptions, 'corpusDir' | 'cacheDir' | 'corpusLimits' | 'verify' | 'rebuild' | 'bufferParagraphs'> {
  return {
    corpusDir: settings.corpusDir,
    cacheDir: settings.cacheDir,
    corpusLimits: {
      ...(settings.maxFileBytes === undefined ? {} : { maxFileBytes: settings.maxFileBytes }),
      ...(settings.followOutsideLinks === undefined ? {} : { followOutsideLinks: settings.followOutsideLinks }),
    },
    verify: settings.verify ?? false,
    rebuild: settings.rebuild ?? false,
    ...(settings.bufferParagraphs === undefined ? {} : { bufferParagraphs: settings.bufferParagraphs }),
  };
}
