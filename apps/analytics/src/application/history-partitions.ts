import type { Logger } from 'pino';
import { doraIndex } from '../domain/dora-index.js';
import { buildHistory, type History } from '../domain/history.js';
import {
  emptyHistory,
  isProductPartition,
  isUnattributedIncident,
  mergeHistories,
  namespaceOfPartition,
  namespacePartition,
  UNATTRIBUTED,
  unattributedPartitionOf,
} from '../domain/partitions.js';
import type { ChangeCursor, ChangedRecord, ProjectionStore } from './ports.js';

export interface RefreshReport {
  /** Partitions rebuilt: products, namespace partitions (see domain/partitions.ts) and '' for what names neither. */
  rebuilt: string[];
  changes: number;
  ms: number;
}

/**
 * The joined history of every product, each kept in memory and rebuilt alone when the store reports a change to one
 * of its records. Readers get the partitions as of the last refresh and never wait for one, except for the first
 * (or after `requireFresh()`, when the caller has just written and must read its own write).
 */
export class HistoryPartitions {
  private readonly partitions = new Map<string, History>();
  private merged: History | undefined;
  private cursor: ChangeCursor | undefined;
  private readonly productOfRelease = new Map<string, string>();
  private readonly productsOfWorkload = new Map<string, Set<string>>();
  /** The partition each rollout was last built into. */
  private readonly partitionOfRollout = new Map<string, string>();
  private queue: Promise<unknown> = Promise.resolve();
  private pending: Promise<RefreshReport> | undefined;
  private built = false;
  private stale = false;
  /** When the last refresh that saw every change up to its start began. */
  private freshAsOf: Date | undefined;
  private timer: NodeJS.Timeout | undefined;
  private refreshing = false;

  /** `onRefresh`: told of every completed refresh (metrics). */
  constructor(
    private readonly deps: {
      store: ProjectionStore;
      logger?: Logger;
      now?: () => Date;
      onRefresh?: (report: RefreshReport) => void;
    },
  ) {}

  /** Reads the changes since the last refresh and rebuilds the partitions they touch; refreshes run one at a time. */
  refresh(): Promise<RefreshReport> {
    // A refresh asked for while one is waiting to run would see the same changes: share it.
    if (this.pending) return this.pending;
    const run = this.queue.then(() => {
      this.pending = undefined;
      return this.refreshNow();
    });
    this.pending = run;
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Refreshes every `intervalMs` until stopRefreshing(); a failed refresh is logged and tried again at the next tick. */
  startRefreshing(intervalMs: number): void {
    if (this.refreshing) return;
    this.refreshing = true;
    const tick = async () => {
      try {
        await this.refresh();
      } catch (err) {
        this.deps.logger?.warn(
          { err },
          'refreshing the metrics from the projections failed; trying again at the next tick',
        );
      }
      if (this.refreshing) this.timer = setTimeout(tick, intervalMs);
    };
    this.timer = setTimeout(tick, 0);
  }

  async stopRefreshing(): Promise<void> {
    this.refreshing = false;
    clearTimeout(this.timer);
    await this.queue;
  }

  /** Whether the partitions have been built once (readiness). */
  isBuilt(): boolean {
    return this.built;
  }

  /** The next read waits for a refresh (after a write of the caller's own). */
  requireFresh(): void {
    this.stale = true;
  }

  /** When the partitions last caught up with every change, if they have. */
  asOf(): Date | undefined {
    return this.freshAsOf;
  }

  private async ready(): Promise<void> {
    if (!this.built || this.stale) await this.refresh();
  }

  /** A product's history, or the whole organisation's. */
  async history(product?: string): Promise<History> {
    await this.ready();
    if (product !== undefined) return this.partitions.get(product) ?? emptyHistory();
    this.merged ??= mergeHistories([...this.partitions.values()]);
    return this.merged;
  }

  /** Every partition's history by key (see domain/partitions.ts): metrics that combine per partition need not merge them. */
  async entries(): Promise<[string, History][]> {
    await this.ready();
    return [...this.partitions.entries()];
  }

  async products(): Promise<string[]> {
    await this.ready();
    return [...this.partitions.keys()].filter(isProductPartition).sort();
  }

  private async refreshNow(): Promise<RefreshReport> {
    const started = Date.now();
    const startedAt = this.deps.now?.() ?? new Date();
    this.stale = false;
    const dirty = new Set<string>();
    let changes = 0;
    let wholeStore = !this.built;
    if (!this.built) {
      this.cursor = (await this.deps.store.changesSince(undefined)).cursor;
    } else {
      const read = await this.deps.store.changesSince(this.cursor);
      this.cursor = read.cursor;
      changes = read.changes.length;
      wholeStore = read.everything === true;
      if (wholeStore) for (const p of this.partitions.keys()) dirty.add(p);
      for (const p of this.partitionsOf(read.changes)) dirty.add(p);
    }
    if (wholeStore) for (const p of [...(await this.deps.store.products()), UNATTRIBUTED]) dirty.add(p);
    await this.rebuildAll(dirty);
    if (wholeStore) {
      // Which namespaces hold records of no known product can be told only once the products' workloads are known.
      const namespaces = await this.deps.store.unattributedNamespaces((workload) =>
        this.productsOfWorkload.has(workload),
      );
      const more = new Set(namespaces.map(namespacePartition).filter((key) => !dirty.has(key)));
      await this.rebuildAll(more);
      for (const key of more) dirty.add(key);
    }
    if (dirty.size) this.merged = undefined;
    this.built = true;
    this.freshAsOf = startedAt;
    const report = { rebuilt: [...dirty], changes, ms: Date.now() - started };
    this.deps.onRefresh?.(report);
    if (dirty.size)
      this.deps.logger?.debug(
        report,
        `rebuilt ${dirty.size} history partition(s) after ${changes} change(s) in ${report.ms} ms`,
      );
    return report;
  }

  /** Built first, swapped in together: a reader never sees a record in two partitions, or in none. */
  private async rebuildAll(keys: Iterable<string>): Promise<void> {
    const rebuilt: [string, History][] = [];
    for (const key of keys) rebuilt.push([key, await this.rebuild(key)]);
    for (const [key, history] of rebuilt) this.swapIn(key, history);
  }

  /** Which partitions the changed records belong to, now and before (a release can gain its product late). */
  private partitionsOf(changes: readonly ChangedRecord[]): Set<string> {
    const out = new Set<string>();
    const attributed = {
      rollout: (id: string) => isProductPartition(this.partitionOfRollout.get(id) ?? UNATTRIBUTED),
      workload: (w: string) => this.productsOfWorkload.has(w),
    };
    // Releases first: a rollout in the same batch finds the product its release just gained.
    for (const c of changes) {
      if (c.entity !== 'release') continue;
      const before = this.productOfRelease.get(c.id);
      if (c.product) {
        out.add(c.product);
        this.productOfRelease.set(c.id, c.product);
      } else out.add(UNATTRIBUTED);
      if (before && before !== c.product) out.add(before);
      // Its rollouts so far were the namespaces' (or UNATTRIBUTED's), until it named a product.
      if (!before)
        for (const [key, h] of this.partitions)
          if (!isProductPartition(key) && (h.releases.has(c.id) || h.index.rolloutsByRelease.has(c.id))) out.add(key);
    }
    for (const c of changes) {
      if (c.entity === 'rollout') {
        const now = (c.releaseId ? this.productOfRelease.get(c.releaseId) : undefined) ?? unattributedPartitionOf(c);
        out.add(now);
        const before = this.partitionOfRollout.get(c.id);
        if (before !== undefined && before !== now) out.add(before);
      } else if (c.entity === 'incident') {
        if (c.product) out.add(c.product);
        const ofRollout = c.rolloutId ? this.partitionOfRollout.get(c.rolloutId) : undefined;
        if (ofRollout !== undefined) out.add(ofRollout);
        for (const p of (c.workload ? this.productsOfWorkload.get(c.workload) : undefined) ?? []) out.add(p);
        if (isUnattributedIncident(c, attributed)) out.add(unattributedPartitionOf(c));
      }
    }
    return out;
  }

  private async rebuild(key: string): Promise<History> {
    const records = isProductPartition(key)
      ? await this.deps.store.load(key)
      : await this.deps.store.loadUnattributed(namespaceOfPartition(key));
    const history = buildHistory(records);
    // The index doraMetrics answers from, built here so that no query pays for it.
    doraIndex(history, isProductPartition(key) ? { product: key } : {});
    return history;
  }

  private swapIn(key: string, history: History): void {
    if (history.releases.size === 0 && history.rollouts.length === 0 && history.incidents.length === 0)
      this.partitions.delete(key);
    else this.partitions.set(key, history);
    for (const r of history.rollouts) this.partitionOfRollout.set(r.id, key);
    if (!isProductPartition(key)) return;
    for (const id of history.releases.keys()) this.productOfRelease.set(id, key);
    for (const r of history.rollouts) {
      if (!r.workload) continue;
      const set = this.productsOfWorkload.get(r.workload) ?? new Set();
      set.add(key);
      this.productsOfWorkload.set(r.workload, set);
    }
  }
}
