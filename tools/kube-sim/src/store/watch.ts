import { errors } from '../api/errors.js';
import { clone, type KubeObject } from '../api/types.js';
import type { ResourceStore, StoreEvent } from './store.js';

/**
 * One watch: replays history from a resourceVersion (or sends the current objects as ADDED), then streams live
 * changes, translating "started / stopped matching the selectors" into ADDED / DELETED as the apiserver does.
 */

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchEvent {
  type: WatchEventType;
  object: unknown;
}

export interface WatchRequest {
  resource: string;
  apiVersion: string;
  kind: string;
  namespace?: string;
  matches(obj: KubeObject): boolean;
  /** undefined or "0": start with the current objects; a number: resume after it. */
  resourceVersion?: string;
  sendInitialEvents?: boolean;
  bookmarkIntervalMs?: number;
  allowBookmarks: boolean;
}

export function openWatch(
  store: ResourceStore,
  req: WatchRequest,
  send: (event: WatchEvent) => void,
  close: () => void,
): () => void {
  const inScope = (e: StoreEvent) =>
    e.resource === req.resource && (req.namespace === undefined || e.object.metadata.namespace === req.namespace);
  const translate = (e: StoreEvent): WatchEvent | undefined => {
    if (!inScope(e)) return undefined;
    const now = e.type !== 'DELETED' && req.matches(e.object);
    const before = e.previous ? req.matches(e.previous) : false;
    if (e.type === 'ADDED') return now ? { type: 'ADDED', object: clone(e.object) } : undefined;
    if (e.type === 'DELETED') return before ? { type: 'DELETED', object: clone(e.object) } : undefined;
    if (now && before) return { type: 'MODIFIED', object: clone(e.object) };
    if (now) return { type: 'ADDED', object: clone(e.object) };
    if (before) return { type: 'DELETED', object: clone(e.object) };
    return undefined;
  };
  const bookmark = (annotations?: Record<string, string>): WatchEvent => ({
    type: 'BOOKMARK',
    object: {
      apiVersion: req.apiVersion,
      kind: req.kind,
      metadata: { resourceVersion: String(store.resourceVersion), ...(annotations ? { annotations } : {}) },
    },
  });

  const rv = req.resourceVersion;
  if (rv === undefined || rv === '' || rv === '0' || req.sendInitialEvents) {
    if (req.sendInitialEvents !== false) {
      for (const obj of store.scan(req.resource, req.namespace))
        if (req.matches(obj)) send({ type: 'ADDED', object: clone(obj) });
    }
    if (req.sendInitialEvents) send(bookmark({ 'k8s.io/initial-events-end': 'true' }));
  } else {
    const since = Number(rv);
    if (!Number.isInteger(since) || since < 0) {
      send({
        type: 'ERROR',
        object: errors
          .badRequest(`resourceVersion must be a number such as "123", got ${JSON.stringify(rv)}`)
          .toStatus(),
      });
      close();
      return () => {};
    }
    const replay = store.eventsSince(since);
    if (!replay) {
      send({
        type: 'ERROR',
        object: errors.gone(`too old resource version: ${since} (${store.oldestResourceVersion})`).toStatus(),
      });
      close();
      return () => {};
    }
    for (const e of replay) {
      const w = translate(e);
      if (w) send(w);
    }
  }

  const unsubscribe = store.subscribe((e) => {
    const w = translate(e);
    if (w) send(w);
  });
  const timer = req.allowBookmarks ? setInterval(() => send(bookmark()), req.bookmarkIntervalMs ?? 1000) : undefined;
  return () => {
    unsubscribe();
    if (timer) clearInterval(timer);
  };
}
