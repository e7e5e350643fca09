/** What JetStream holds after the run: every event of the stream, the durable consumers' lag and the dead letters. */
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { DEAD_LETTER_STREAM, EVENTS_STREAM, decodeEnvelope } from '@flightdeck/events';

export interface StreamEvent {
  seq: number;
  id: string;
  type: string;
  subject?: string;
  data: Record<string, unknown>;
}

export interface ConsumerLag {
  name: string;
  pending: number;
  ackPending: number;
}

export interface DeadLetter {
  consumer: string;
  reason: string;
  error: string;
  subject: string;
}

export interface History {
  events: StreamEvent[];
  /** Messages of the stream that are not a valid envelope (there should be none). */
  undecodable: number;
  consumers: ConsumerLag[];
  deadLetters: DeadLetter[];
}

async function readAll<T>(
  nc: Awaited<ReturnType<typeof connect>>,
  stream: string,
  decode: (data: Uint8Array, seq: number) => T,
): Promise<T[]> {
  const jsm = await jetstreamManager(nc);
  const last = (await jsm.streams.info(stream)).state.last_seq;
  const out: T[] = [];
  if (last === 0) return out;
  const consumer = await jetstream(nc).consumers.get(stream, { deliver_policy: 'all' as never });
  const messages = await consumer.consume({ max_messages: 1000 });
  try {
    for await (const m of messages) {
      out.push(decode(m.data, m.seq));
      if (m.seq >= last) break;
    }
  } finally {
    messages.stop();
  }
  return out;
}

/** The durable consumers' lag only (cheap): used to wait for the stack to catch up. */
export async function consumerLags(natsUrl: string): Promise<ConsumerLag[]> {
  const nc = await connect({ servers: natsUrl, name: 'chaos-invariants' });
  try {
    const jsm = await jetstreamManager(nc);
    const lags: ConsumerLag[] = [];
    for await (const c of jsm.consumers.list(EVENTS_STREAM))
      if (c.config.durable_name) lags.push({ name: c.name, pending: c.num_pending, ackPending: c.num_ack_pending });
    return lags;
  } finally {
    await nc.close();
  }
}

export async function readHistory(natsUrl: string): Promise<History> {
  const nc = await connect({ servers: natsUrl, name: 'chaos-invariants' });
  try {
    let undecodable = 0;
    const events = (
      await readAll(nc, EVENTS_STREAM, (data, seq): StreamEvent | undefined => {
        try {
          const e = decodeEnvelope(data);
          return {
            seq,
            id: e.id,
            type: e.type,
            ...(e.subject ? { subject: e.subject } : {}),
            data: e.data as Record<string, unknown>,
          };
        } catch {
          undecodable++;
          return undefined;
        }
      })
    ).filter((e): e is StreamEvent => e !== undefined);
    const deadLetters = await readAll(nc, DEAD_LETTER_STREAM, (data) => {
      const d = JSON.parse(new TextDecoder().decode(data)) as Partial<DeadLetter>;
      return {
        consumer: d.consumer ?? '?',
        reason: d.reason ?? '?',
        error: String(d.error ?? '').slice(0, 300),
        subject: d.subject ?? '?',
      };
    }).catch((err: unknown) => {
      if (/stream not found/i.test((err as Error).message)) return [];
      throw err;
    });
    const jsm = await jetstreamManager(nc);
    const consumers: ConsumerLag[] = [];
    // Durable consumers only: the services' (an ordered reader like the one above is not one).
    for await (const c of jsm.consumers.list(EVENTS_STREAM))
      if (c.config.durable_name)
        consumers.push({ name: c.name, pending: c.num_pending, ackPending: c.num_ack_pending });
    return { events, undecodable, consumers, deadLetters };
  } finally {
    await nc.close();
  }
}
