/** One index entry: the key values (one per indexed field) and the record it points to. */
export interface Entry {
  key: unknown[];
  seq: number;
  id: string;
}

const MAX_CHUNK = 512;

/**
 * Index entries kept in key order in a list of small sorted chunks, so an insert or removal costs
 * a binary search plus a copy of at most one chunk, and a lookup is a binary search: O(log n).
 */
export class SortedEntries {
  private chunks: Entry[][] = [];
  size = 0;

  constructor(private readonly compare: (a: Entry, b: Entry) => number) {}

  insert(entry: Entry): void {
    this.size++;
    if (!this.chunks.length) {
      this.chunks.push([entry]);
      return;
    }
    const ci = this.chunkFor((e) => this.compare(e, entry) < 0);
    const chunk = this.chunks[ci];
    chunk.splice(
      lowerBound(chunk, (e) => this.compare(e, entry) < 0),
      0,
      entry,
    );
    if (chunk.length > MAX_CHUNK)
      this.chunks.splice(ci, 1, chunk.slice(0, chunk.length >> 1), chunk.slice(chunk.length >> 1));
  }

  remove(entry: Entry): boolean {
    if (!this.chunks.length) return false;
    const ci = this.chunkFor((e) => this.compare(e, entry) < 0);
    const chunk = this.chunks[ci];
    const at = lowerBound(chunk, (e) => this.compare(e, entry) < 0);
    if (at >= chunk.length || this.compare(chunk[at], entry) !== 0) return false;
    chunk.splice(at, 1);
    if (!chunk.length) this.chunks.splice(ci, 1);
    this.size--;
    return true;
  }

  /**
   * Entries in order from the first one for which `before` is false, while `after` is false.
   * `before` must be true for a prefix of the order and `after` true for a suffix.
   */
  *scan(before: (e: Entry) => boolean, after: (e: Entry) => boolean): Generator<Entry> {
    if (!this.chunks.length) return;
    let ci = this.chunkFor(before);
    let at = lowerBound(this.chunks[ci], before);
    for (; ci < this.chunks.length; ci++, at = 0) {
      const chunk = this.chunks[ci];
      for (; at < chunk.length; at++) {
        if (after(chunk[at])) return;
        yield chunk[at];
      }
    }
  }

  *all(): Generator<Entry> {
    for (const chunk of this.chunks) yield* chunk;
  }

  /** The first chunk whose last entry is not `before`; the last chunk when there is none. */
  private chunkFor(before: (e: Entry) => boolean): number {
    let lo = 0;
    let hi = this.chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const chunk = this.chunks[mid];
      if (before(chunk[chunk.length - 1])) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function lowerBound(chunk: Entry[], before: (e: Entry) => boolean): number {
  let lo = 0;
  let hi = chunk.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (before(chunk[mid])) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
