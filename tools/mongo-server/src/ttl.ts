import type { Document } from 'bson';
import type { Logger } from 'pino';
import type { Catalog } from './storage/catalog.js';

/**
 * Deletes documents whose TTL-indexed date is older than the index's expireAfterSeconds, like
 * mongod's TTL monitor (which runs every 60 s; here the interval is configurable).
 */
export function startTtlMonitor(catalog: Catalog, logger: Logger, intervalMs: number): () => void {
  let running = false;
  const sweep = async (): Promise<void> => {
    if (running) return;
    running = true;
    try {
      let removed = 0;
      for (const db of catalog.databaseNames()) {
        for (const collection of catalog.collections(db)) {
          for (const index of collection.indexes.values()) {
            const seconds = index.spec.expireAfterSeconds;
            if (typeof seconds !== 'number') continue;
            const cutoff = new Date(Date.now() - seconds * 1000);
            const expired = new Map<string, Document>();
            for (const e of index.range(undefined, { value: cutoff, inclusive: false })) {
              const doc = collection.getByKey(e.id);
              if (doc) expired.set(e.id, doc);
            }
            for (const doc of expired.values()) catalog.remove(collection, doc);
            removed += expired.size;
          }
        }
      }
      if (removed) {
        await catalog.commit();
        logger.debug({ removed }, 'TTL monitor removed expired documents');
      }
    } catch (err) {
      logger.error({ err }, 'TTL monitor failed; it retries on the next interval');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void sweep(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
