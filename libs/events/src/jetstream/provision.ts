import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  JetStreamApiError,
  RetentionPolicy,
  StorageType,
  type ConsumerConfig,
  type JetStreamManager,
  type StreamConfig,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import semver from 'semver';
import { DEAD_LETTER_STREAM, DEAD_LETTER_SUBJECTS, EVENTS_STREAM, EVENTS_SUBJECTS } from '../subjects.js';

export interface StreamSettings {
  /** Window in which a re-published event id is dropped as a duplicate; default 10 minutes. */
  duplicateWindowMs?: number;
  /** How long events are kept; 0 (the default) keeps them until limits are reached. */
  maxAgeMs?: number;
  /** How long dead letters are kept; default 30 days. */
  deadLetterMaxAgeMs?: number;
}

const DAY = 86_400_000;

function streamConfigs(s: StreamSettings): Array<Partial<StreamConfig> & { name: string; subjects: string[] }> {
  return [
    {
      name: EVENTS_STREAM,
      subjects: [EVENTS_SUBJECTS],
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      discard: DiscardPolicy.Old,
      duplicate_window: nanos(s.duplicateWindowMs ?? 10 * 60_000),
      max_age: nanos(s.maxAgeMs ?? 0),
      num_replicas: 1,
    },
    {
      name: DEAD_LETTER_STREAM,
      subjects: [DEAD_LETTER_SUBJECTS],
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      discard: DiscardPolicy.Old,
      duplicate_window: nanos(2 * 60_000),
      max_age: nanos(s.deadLetterMaxAgeMs ?? 30 * DAY),
      num_replicas: 1,
    },
  ];
}

export function isNotFound(err: unknown): boolean {
  return err instanceof JetStreamApiError && (err.code === 404 || /not found/i.test(err.message));
}

/** Creates the event and dead-letter streams, or brings their settings up to date; safe to run from every process at once. */
export async function ensureStreams(jsm: JetStreamManager, settings: StreamSettings = {}): Promise<void> {
  for (const want of streamConfigs(settings)) {
    const info = await jsm.streams.info(want.name).catch((err: unknown) => {
      if (isNotFound(err)) return null;
      throw err;
    });
    if (!info) {
      try {
        await jsm.streams.add(want);
        continue;
      } catch (err) {
        // Another process created it between our look-up and our add: fall through to the update.
        if (!(err instanceof JetStreamApiError) || !/already in use|exists/i.test(err.message)) throw err;
      }
    }
    const current = info?.config ?? (await jsm.streams.info(want.name)).config;
    const differs = (['subjects', 'duplicate_window', 'max_age'] as const).some(
      (k) => JSON.stringify(current[k]) !== JSON.stringify(want[k]),
    );
    if (differs)
      await jsm.streams.update(want.name, {
        ...current,
        subjects: want.subjects,
        duplicate_window: want.duplicate_window,
        max_age: want.max_age,
      });
  }
}

export interface ConsumerSettings {
  durable: string;
  filters: string[];
  ackWaitMs: number;
  /** The server's own delivery cap; the runner dead-letters at its own cap one delivery earlier. */
  maxDeliver: number;
  maxAckPending: number;
}

/** Multiple filter subjects per consumer need nats-server 2.10. */
export function supportsMultipleFilters(serverVersion: string | undefined): boolean {
  const v = semver.coerce(serverVersion ?? '');
  return v !== null && semver.gte(v, '2.10.0');
}

/**
 * The server-side filter for a subscription. With several filters on a server older than 2.10 the
 * consumer takes all of `flightdeck.>` and the runner acks the events outside the filters unseen.
 */
export function serverFilter(
  filters: string[],
  serverVersion: string | undefined,
): Pick<ConsumerConfig, 'filter_subject' | 'filter_subjects'> {
  if (filters.length === 1) return { filter_subject: filters[0] };
  if (supportsMultipleFilters(serverVersion)) return { filter_subjects: filters };
  return { filter_subject: EVENTS_SUBJECTS };
}

/** Creates the durable pull consumer or updates it to the wanted settings. */
export async function ensureConsumer(
  jsm: JetStreamManager,
  s: ConsumerSettings,
  serverVersion: string | undefined,
): Promise<void> {
  const want: Partial<ConsumerConfig> = {
    durable_name: s.durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: nanos(s.ackWaitMs),
    max_deliver: s.maxDeliver,
    max_ack_pending: s.maxAckPending,
    ...serverFilter(s.filters, serverVersion),
  };
  const existing = await jsm.consumers.info(EVENTS_STREAM, s.durable).catch((err: unknown) => {
    if (isNotFound(err)) return null;
    throw err;
  });
  if (!existing) {
    try {
      await jsm.consumers.add(EVENTS_STREAM, want);
      return;
    } catch (err) {
      if (!(err instanceof JetStreamApiError) || !/already (in use|exists)/i.test(err.message)) throw err;
    }
  }
  const c = existing?.config ?? (await jsm.consumers.info(EVENTS_STREAM, s.durable)).config;
  const same =
    c.ack_wait === want.ack_wait &&
    c.max_deliver === want.max_deliver &&
    c.max_ack_pending === want.max_ack_pending &&
    (c.filter_subject ?? '') === (want.filter_subject ?? '') &&
    JSON.stringify(c.filter_subjects ?? []) === JSON.stringify(want.filter_subjects ?? []);
  if (same) return;
  try {
    await jsm.consumers.update(EVENTS_STREAM, s.durable, {
      ack_wait: want.ack_wait,
      max_deliver: want.max_deliver,
      max_ack_pending: want.max_ack_pending,
      ...(want.filter_subject !== undefined ? { filter_subject: want.filter_subject } : {}),
      ...(want.filter_subjects !== undefined ? { filter_subjects: want.filter_subjects } : {}),
    });
  } catch (err) {
    throw new Error(
      `durable consumer ${s.durable} exists with other settings and the server refused to change them (${(err as Error).message}); ` +
        `delete it with \`nats consumer rm ${EVENTS_STREAM} ${s.durable}\` or pick a new durable name`,
    );
  }
}
