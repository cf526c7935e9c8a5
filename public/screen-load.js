/**
 * The loads of the screen (a search or an article), one at a time.
 *
 * Races: every screen load takes a new sequence number and aborts the previous
 * request (`AbortController`); an answer whose number is no longer the latest is
 * dropped, so a slow stale response never overwrites a newer one.
 */

import { ApiError } from './api.js';
import { dom } from './page-dom.js';
import { announce, showNotice } from './page-notices.js';
import { rerender } from './screen.js';

/** Delay before asking again while the index loads (503 `index_loading`), in ms. */
const LOADING_RETRY_MS = 1000;

/** Sequence number of the latest screen load (search or article). */
let loadSeq = 0;
/** @type {AbortController|null} */
let loadController = null;
/** @type {ReturnType<typeof setTimeout>|undefined} */
let retryTimer;

/**
 * Whether `seq` is still the latest load (a newer one drops its answer).
 * @param {number} seq
 */
export function isLatestLoad(seq) {
  return seq === loadSeq;
}

/**
 * Starts a screen load: aborts the previous one and cancels a pending retry.
 * @returns {{seq: number, signal: AbortSignal}}
 */
export function beginLoad() {
  clearTimeout(retryTimer);
  loadController?.abort();
  loadController = new AbortController();
  loadSeq += 1;
  return { seq: loadSeq, signal: loadController.signal };
}

/**
 * Handles a failed load: retries while the index loads, else shows the API's message.
 * @param {unknown} error
 * @param {number} seq
 * @returns {boolean} False when the error is an abort (nothing to show).
 */
export function failLoad(error, seq) {
  if (seq !== loadSeq) return false;
  if (error instanceof DOMException && error.name === 'AbortError') return false;
  if (error instanceof ApiError && error.isLoading) {
    showNotice('loading', 'The archive index is loading…', 'Results will appear as soon as it is ready.');
    announce('The archive index is loading.');
    retryTimer = setTimeout(() => {
      if (seq === loadSeq) rerender();
    }, LOADING_RETRY_MS);
    return true;
  }
  const message = error instanceof Error ? error.message : String(error);
  showNotice('error', 'Something went wrong', message);
  announce(`Error: ${message}`);
  dom.main.setAttribute('aria-busy', 'false');
  return true;
}
