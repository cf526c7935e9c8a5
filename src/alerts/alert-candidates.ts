import MiniSearch from 'minisearch';

/** A saved search as its MiniSearch document: its anchor terms, space-separated. */
interface AnchorDocument {
  id: string;
  anchors: string;
}

/**
 * The saved searches' anchor terms (see `alertAnchors`) in a MiniSearch index:
 * small, changing and in memory, which is where MiniSearch is strongest. An
 * article's candidate alerts are those with an anchor among the article's
 * terms, found by one lookup of each term in MiniSearch's radix tree. The one
 * place that reaches MiniSearch's insides, as a subclass (its fields are
 * `protected`), so the compiler checks each access against the pinned version.
 */
export class AlertCandidates extends MiniSearch<AnchorDocument> {
  constructor() {
    super({
      fields: ['anchors'],
      idField: 'id',
      storeFields: [],
      // Anchors are index terms already (`~court`): split on spaces, kept as they are.
      tokenize: (text) => text.split(' ').filter(Boolean),
      processTerm: (term) => term,
    });
  }

  /** Indexes (or re-indexes) an alert's anchor terms. */
  put(id: string, anchors: readonly string[]): void {
    if (this.has(id)) this.discard(id);
    this.add({ id, anchors: anchors.join(' ') });
  }

  /** Forgets an alert (no-op when absent). */
  drop(id: string): void {
    if (this.has(id)) this.discard(id);
  }

  /** Ids of the alerts with an anchor among `terms`, each once. */
  candidatesOf(terms: Iterable<string>): Set<string> {
    const ids = new Set<string>();
    for (const term of terms) {
      const docs = this._index.get(term)?.get(0);
      if (!docs) continue;
      for (const shortId of docs.keys()) {
        const id = this._documentIds.get(shortId) as string | undefined;
        if (id !== undefined) ids.add(id);
      }
    }
    return ids;
  }
}
