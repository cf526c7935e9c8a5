/**
 * The UI's state ↔ URL mapping (`public/state.js`), in Node: it is pure, so the
 * rules the browser tests rely on are pinned here without a browser.
 */
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

interface UiState {
  q: string;
  page: number;
  hitsPerPage: number;
  sort: 'relevance' | 'date:desc' | 'date:asc';
  recencyHalfLife: number;
  from: string;
  to: string;
  source: string[];
  section: string[];
  author: string[];
  tag: string[];
  person: string[];
  org: string[];
  place: string[];
  day: string;
  article: string | null;
  paragraph: number | null;
}

interface StateModule {
  emptyState(): UiState;
  stateFromUrl(search: string, hash?: string): UiState;
  urlOf(state: UiState): string;
  searchRequestOf(state: UiState): string;
  facetRequestOf(state: UiState, key: 'source' | 'section' | 'author' | 'tag' | 'person' | 'org' | 'place'): string;
  exportUrlOf(state: UiState, format?: 'csv' | 'ndjson'): string;
  withChanges(state: UiState, changes: Partial<UiState>): UiState;
  lastWordOf(query: string): { start: number; word: string } | null;
  replaceLastWord(query: string, completion: string): string;
}

// A plain ES module of the static UI (no types): loaded by URL so TypeScript does not need declarations.
const modulePath = join(fileURLToPath(new URL('.', import.meta.url)), '..', 'public', 'state.js');
const ui = (await import(pathToFileURL(modulePath).href)) as StateModule;

describe('UI state and URL', () => {
  it('reads every search parameter from the URL, repeatable filters in order', () => {
    const state = ui.stateFromUrl(
      '?q=displaced+haiti&page=2&sort=date%3Adesc&recencyHalfLife=30&from=2024-01-01&to=2025-12-31&source=Reuters&source=CNN&section=world&author=Ana+Costa&tag=floods',
    );
    expect(state).toEqual({
      q: 'displaced haiti',
      page: 2,
      hitsPerPage: 10,
      sort: 'date:desc',
      recencyHalfLife: 30,
      from: '2024-01-01',
      to: '2025-12-31',
      source: ['Reuters', 'CNN'],
      section: ['world'],
      author: ['Ana Costa'],
      tag: ['floods'],
      person: [],
      org: [],
      place: [],
      day: '',
      article: null,
      paragraph: null,
    });
  });

  it('links the export of the search on screen: same query and filters, no paging', () => {
    const state = ui.stateFromUrl('?q=flood+harbour&page=3&hitsPerPage=20&sort=date%3Aasc&tag=floods&from=2024-01-01');
    expect(ui.exportUrlOf(state)).toBe(
      '/search/export?q=flood+harbour&sort=date%3Aasc&from=2024-01-01&tag=floods&format=csv',
    );
    expect(ui.exportUrlOf(ui.emptyState(), 'ndjson')).toBe('/search/export?format=ndjson');
  });

  it('carries the "prefer recent" half-life into the URL and the request, and leaves it out when off', () => {
    const state = ui.stateFromUrl('?q=flood&recencyHalfLife=365');
    expect(ui.urlOf(state)).toBe('?q=flood&recencyHalfLife=365');
    expect(ui.searchRequestOf(state)).toContain('recencyHalfLife=365');
    // Not a number the API takes: off, as an unknown sort is.
    expect(ui.stateFromUrl('?q=flood&recencyHalfLife=soon').recencyHalfLife).toBe(0);
  });

  it('writes a state back to the same URL, defaults left out', () => {
    const url = '?q=displaced+haiti&page=2&sort=date%3Adesc&from=2024-01-01&source=Reuters&source=CNN';
    expect(ui.urlOf(ui.stateFromUrl(url))).toBe(url);
    expect(ui.urlOf(ui.emptyState())).toBe('./');
  });

  it('trims the query in URLs and requests, so a trailing space typed does not change the search', () => {
    const state = { ...ui.emptyState(), q: ' flood harbour ' };
    expect(ui.urlOf(state)).toBe('?q=flood+harbour');
    // The page asks for one hit per group of near-duplicates (the API's default shows every article).
    expect(ui.searchRequestOf(state)).toBe(
      'q=flood+harbour&facets=source%2Csection%2Cauthor%2Ctag%2Cperson%2Corg%2Cplace%2Cyear%2Cmonth&duplicates=group',
    );
  });

  it('keeps the open article and its target paragraph, and reads them back', () => {
    const state = ui.withChanges(ui.stateFromUrl('?q=displaced'), {
      article: 'haiti-soldiers-mexico-training',
      paragraph: 7,
    });
    const url = ui.urlOf(state);
    expect(url).toBe('?q=displaced&article=haiti-soldiers-mexico-training#p7');
    const [search, hash] = url.split('#');
    expect(ui.stateFromUrl(search!, `#${hash}`)).toEqual(state);
  });

  it('falls back to defaults for values the API would reject (a URL is user input)', () => {
    const state = ui.stateFromUrl('?page=0&sort=best&from=yesterday&hitsPerPage=500&source=');
    expect(state).toEqual(ui.emptyState());
    // page × hitsPerPage beyond maxTotalHits (1000) cannot be asked for.
    expect(ui.stateFromUrl('?hitsPerPage=100&page=11').page).toBe(1);
    expect(ui.stateFromUrl('?hitsPerPage=100&page=10').page).toBe(10);
  });

  it('goes back to page 1 on any change but the page itself', () => {
    const state = ui.stateFromUrl('?q=x&page=3');
    expect(ui.withChanges(state, { source: ['BBC'] }).page).toBe(1);
    expect(ui.withChanges(state, { page: 4 }).page).toBe(4);
  });

  it('browses a day: `day` in the URL, that day as from and to for the API, a page of 100 oldest first', () => {
    const state = ui.stateFromUrl('?day=2025-07-25&place=Haiti');
    expect(state.day).toBe('2025-07-25');
    expect(ui.urlOf(state)).toBe('?place=Haiti&day=2025-07-25');
    expect(ui.searchRequestOf(state)).toBe(
      'hitsPerPage=100&sort=date%3Aasc&from=2025-07-25&to=2025-07-25&place=Haiti&facets=source%2Csection%2Cauthor%2Ctag%2Cperson%2Corg%2Cplace%2Cyear%2Cmonth&duplicates=group',
    );
    expect(ui.facetRequestOf(state, 'place')).toBe(
      'hitsPerPage=1&sort=date%3Aasc&from=2025-07-25&to=2025-07-25&facets=place',
    );
    expect(ui.exportUrlOf(state)).toBe(
      '/search/export?sort=date%3Aasc&from=2025-07-25&to=2025-07-25&place=Haiti&format=csv',
    );
    expect(ui.stateFromUrl('?day=25-07-2025').day).toBe('');
  });

  it('counts a facet with its own selection removed, other filters kept', () => {
    const state = ui.stateFromUrl('?q=x&page=2&source=BBC&section=world');
    expect(ui.facetRequestOf(state, 'source')).toBe('q=x&hitsPerPage=1&section=world&facets=source');
  });

  it('finds and replaces the word being typed for suggestions', () => {
    expect(ui.lastWordOf('flood harb')).toEqual({ start: 6, word: 'harb' });
    expect(ui.lastWordOf('flood -harb')).toEqual({ start: 7, word: 'harb' });
    expect(ui.lastWordOf('flood ')).toBeNull();
    expect(ui.lastWordOf('"gang vio')).toBeNull();
    expect(ui.replaceLastWord('flood harb', 'harbour')).toBe('flood harbour ');
    expect(ui.replaceLastWord('flood -harb', 'harbour')).toBe('flood -harbour ');
  });
});
