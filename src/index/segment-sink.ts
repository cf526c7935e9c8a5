import type { Article } from '../corpus/article.js';
import { buildSegment } from './segments/build-segment.js';
import { Segment } from './segments/segment-reader.js';

/** Where an index puts the segments `refresh()` makes: memory (the default) or the index cache. */
export interface SegmentSink {
  /** Writes a segment of `articles` and opens it. */
  write(articles: readonly Article[]): Segment;
}

let memorySegments = 0;

/** The default sink: segments held in memory (a small index, a test, or a cache that cannot be written). */
export const memorySink: SegmentSink = {
  write(articles) {
    return Segment.fromBytes(buildSegment(articles, null)!, `memory-${++memorySegments}`);
  },
};
