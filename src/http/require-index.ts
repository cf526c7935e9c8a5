import { SearchError } from '../errors.js';
import type { ArchiveIndex } from '../index/archive-index.js';
import type { AppDeps } from './app-deps.js';

/** The index being served; throws `SearchError('index_loading')` (503) while it is still loading. */
export function requireIndex(deps: AppDeps): ArchiveIndex {
  const index = deps.getIndex();
  if (index === null) throw new SearchError('index_loading', 'The index is still loading; retry in a few seconds.');
  return index;
}
