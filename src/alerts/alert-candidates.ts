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
 * terms, found by a lookup of the term in MiniSearch's radix tree. Most of an
 * article's terms anchor no alert (anchors are rare words), so a set of the
 * terms that anchor some alert says which are worth that lookup (a hash
 * lookup against a walk down the tree, which scans each node's children).
 * The one place that reaches MiniSearch's insides, as a subclass (its fields
 * are `protected`), so the compiler checks each access against the pinned version.
 */
export class AlertCandidates extends MiniSearch<AnchorDocument> {
  /** Each anchor term with the number of alerts it anchors. */
  private readonly anchored = new Map<string, number>();
  /** Each alert's anchor terms. */
  private readonly anchorsOf = new Map<string, readonly string[]>();

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
    this.drop(id);
    this.add({ id, anchors: anchors.join(' ') });
    const terms = [...new Set(anchors)];
    this.anchorsOf.set(id, terms);
    for (const term of terms) this.anchored.set(term, (this.anchored.get(term) ?? 0) + 1);
  }

  /** Forgets an alert (no-op when absent). */
  drop(id: string): void {
    if (!this.has(id)) return;
    this.discard(id);
    for (const term of this.anchorsOf.get(id) ?? []) {
      const left = this.anchored.get(term)! - 1;
      if (left > 0) this.anchored.set(term, left);
      else this.anchored.delete(term);
    }
    this.anchorsOf.delete(id);
  }

  /** Ids of the alerts with an anchor among `terms`, each once. */
  candidatesOf(terms: Iterable<string>): Set<string> {
    const ids = new Set<string>();
    for (const term of terms) {
      if (!this.anchored.has(term)) continue;
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
