import type { ArchiveIndex } from '../index/archive-index.js';
import type { SearchParams } from '../query/search-params.js';
import type { SearchResponse } from '../query/search-archive.js';

/** What `createApp` needs from the rest of the service. */
export interface AppDeps {
  /** The index to serve, or null while it is still loading (routes then answer 503 `index_loading`). */
  getIndex: () => ArchiveIndex | null;
  /** Folder of the static UI, served at `/` (`index.html`) when given and present. */
  publicDir?: string;
  /** Origins allowed to call the API from a browser (exact `scheme://host[:port]`, or `'*'`); default none. */
  corsOrigins?: string[];
  /** The search function; default `searchArchive`. A worker pool or a cache can plug in here. */
  search?: (index: ArchiveIndex, params: SearchParams) => SearchResponse | Promise<SearchResponse>;
  /** Extra fields for `GET /health` (snapshot state, uptime, …); cannot replace `status`, `articles`, `paragraphs`. */
  status?: () => Record<string, unknown>;
}
