import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { ResourceStore, StoreSnapshot } from './store/store.js';

/** Keeps the store in a JSON file across restarts: loaded at start, written shortly after changes and at stop. */
export class StateFile {
  private timer?: NodeJS.Timeout;
  private unsubscribe?: () => void;

  constructor(
    private readonly file: string,
    private readonly store: ResourceStore,
  ) {}

  /** Loads the file if it exists; returns whether it did. */
  load(): boolean {
    if (!existsSync(this.file)) return false;
    let snapshot: StoreSnapshot;
    try {
      snapshot = JSON.parse(readFileSync(this.file, 'utf8')) as StoreSnapshot;
    } catch (e) {
      throw new Error(
        `the state file ${this.file} is not valid JSON (${(e as Error).message}): delete it or pass another --state file`,
      );
    }
    if (
      typeof snapshot?.resourceVersion !== 'number' ||
      typeof snapshot.resources !== 'object' ||
      snapshot.resources === null
    )
      throw new Error(
        `the state file ${this.file} was not written by kube-sim (it needs resourceVersion and resources): delete it or pass another --state file`,
      );
    this.store.restore(snapshot);
    return true;
  }

  watch(): void {
    this.unsubscribe = this.store.subscribe(() => {
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        this.save();
      }, 500);
    });
  }

  save(): void {
    const tmp = `${this.file}.tmp-${process.pid}`;
    writeFileSync(tmp, JSON.stringify(this.store.snapshot()));
    renameSync(tmp, this.file);
  }

  close(): void {
    this.unsubscribe?.();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.save();
  }
}
