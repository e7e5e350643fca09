export * from './envelope.js';
export * from './catalog.js';
export * from './catalog/index.js';
export * from './subjects.js';
export type * from './bus.js';
export { HandlerTimeoutError } from './delivery.js';
export { InProcessBus, type InProcessBusOptions } from './in-process-bus.js';
export { JetStreamBus, type JetStreamBusOptions } from './jetstream/bus.js';
export { ensureStreams, ensureConsumer, supportsMultipleFilters, type StreamSettings } from './jetstream/provision.js';
export type { RetryPolicy } from './jetstream/publisher.js';
export {
  outboxPlugin,
  outboxPush,
  pendingOutboxFilter,
  type OutboxEntry,
  type OutboxFields,
  type OutboxMethods,
} from './outbox/plugin.js';
export { OutboxRelay, type OutboxBacklog, type OutboxRelayOptions } from './outbox/relay.js';
export { withEventMetrics, registerOutboxMetrics } from './metrics.js';
export { applyOnce, appliedEventsPlugin, APPLIED_EVENTS_PATH, type ApplyOnceOptions } from './idempotency.js';
