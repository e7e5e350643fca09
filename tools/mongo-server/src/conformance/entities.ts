/** The entity map of one test: clients (with their observed command events), databases, collections, sessions, saved results. */
import {
  type ClientSession,
  type Collection,
  type CommandFailedEvent,
  type CommandStartedEvent,
  type CommandSucceededEvent,
  type Db,
  MongoClient,
  type MongoClientOptions,
} from 'mongodb';
import type { Document } from './bson-values.js';

export type CommandEvent =
  | { kind: 'commandStartedEvent'; event: CommandStartedEvent }
  | { kind: 'commandSucceededEvent'; event: CommandSucceededEvent }
  | { kind: 'commandFailedEvent'; event: CommandFailedEvent };

export interface ClientEntity {
  kind: 'client';
  client: MongoClient;
  events: CommandEvent[];
  /** Events are recorded only while the test's operations run. */
  recording: boolean;
}

export type Entity =
  | ClientEntity
  | { kind: 'database'; db: Db }
  | { kind: 'collection'; collection: Collection }
  | { kind: 'session'; session: ClientSession }
  | { kind: 'value'; value: unknown };

/** Commands whose events the driver redacts and the format says to ignore unless observeSensitiveCommands is set. */
const sensitiveCommands = new Set([
  'authenticate',
  'saslstart',
  'saslcontinue',
  'getnonce',
  'createuser',
  'updateuser',
  'copydbgetnonce',
  'copydbsaslstart',
  'copydb',
]);

function isSensitive(name: string, command: Document | undefined): boolean {
  const lower = name.toLowerCase();
  if (sensitiveCommands.has(lower)) return true;
  // hello is sensitive only with speculativeAuthenticate, which shows as a redacted (empty) command.
  return (
    (lower === 'hello' || lower === 'ismaster') &&
    (!command || Object.keys(command).length === 0 || 'speculativeAuthenticate' in command)
  );
}

export class EntityMap {
  private readonly entries = new Map<string, Entity>();

  constructor(private readonly uri: string) {}

  private put(id: string, entity: Entity): void {
    if (this.entries.has(id)) throw new Error(`entity "${id}" is defined twice`);
    this.entries.set(id, entity);
  }

  get(id: string): Entity {
    const entity = this.entries.get(id);
    if (!entity) throw new Error(`no entity named "${id}"; defined: ${[...this.entries.keys()].join(', ') || 'none'}`);
    return entity;
  }

  private getAs<K extends Entity['kind']>(id: string, kind: K): Extract<Entity, { kind: K }> {
    const entity = this.get(id);
    if (entity.kind !== kind) throw new Error(`entity "${id}" is a ${entity.kind}, not a ${kind}`);
    return entity as Extract<Entity, { kind: K }>;
  }

  client(id: string): ClientEntity {
    return this.getAs(id, 'client');
  }
  session(id: string): ClientSession {
    return this.getAs(id, 'session').session;
  }

  /** The BSON value behind a name, for $$matchesEntity. */
  value(id: string): unknown {
    const entity = this.get(id);
    if (entity.kind === 'value') return entity.value;
    if (entity.kind === 'session') return entity.session;
    throw new Error(`entity "${id}" is a ${entity.kind}, not a value`);
  }

  saveResult(id: string, value: unknown): void {
    this.put(id, { kind: 'value', value });
  }

  clients(): ClientEntity[] {
    return [...this.entries.values()].filter((e): e is ClientEntity => e.kind === 'client');
  }

  async create(definitions: Document[]): Promise<void> {
    for (const definition of definitions) {
      const [kind, spec] = Object.entries(definition)[0] as [string, Document];
      const id = spec.id as string;
      switch (kind) {
        case 'client':
          this.put(id, await this.createClient(spec));
          break;
        case 'database': {
          const client = this.client(spec.client as string).client;
          this.put(id, {
            kind: 'database',
            db: client.db(spec.databaseName as string, spec.databaseOptions as Document | undefined),
          });
          break;
        }
        case 'collection': {
          const db = this.getAs(spec.database as string, 'database').db;
          this.put(id, {
            kind: 'collection',
            collection: db.collection(spec.collectionName as string, spec.collectionOptions as Document | undefined),
          });
          break;
        }
        case 'session': {
          const client = this.client(spec.client as string).client;
          this.put(id, { kind: 'session', session: client.startSession(spec.sessionOptions as Document | undefined) });
          break;
        }
        default:
          throw new Error(`unsupported entity type "${kind}"`);
      }
    }
  }

  private async createClient(spec: Document): Promise<ClientEntity> {
    const observe = new Set((spec.observeEvents as string[] | undefined) ?? []);
    const ignored = new Set(
      ((spec.ignoreCommandMonitoringEvents as string[] | undefined) ?? []).map((n) => n.toLowerCase()),
    );
    const observeSensitive = spec.observeSensitiveCommands === true;
    const options: MongoClientOptions = {
      serverSelectionTimeoutMS: 5_000,
      ...(spec.uriOptions as MongoClientOptions | undefined),
      monitorCommands: observe.size > 0,
    };
    if (spec.serverApi) options.serverApi = spec.serverApi as MongoClientOptions['serverApi'];
    const client = new MongoClient(this.uri, options);
    const entity: ClientEntity = { kind: 'client', client, events: [], recording: false };
    const record = (kind: CommandEvent['kind'], event: CommandEvent['event']): void => {
      if (!entity.recording || !observe.has(kind)) return;
      const name = event.commandName;
      if (ignored.has(name.toLowerCase()) || name === 'configureFailPoint') return;
      const command = kind === 'commandStartedEvent' ? (event as CommandStartedEvent).command : undefined;
      if (!observeSensitive && isSensitive(name, command)) return;
      entity.events.push({ kind, event } as CommandEvent);
    };
    client.on('commandStarted', (e) => record('commandStartedEvent', e));
    client.on('commandSucceeded', (e) => record('commandSucceededEvent', e));
    client.on('commandFailed', (e) => record('commandFailedEvent', e));
    await client.connect();
    return entity;
  }

  resolveDatabase(id: string): Db {
    return this.getAs(id, 'database').db;
  }
  resolveCollection(id: string): Collection {
    return this.getAs(id, 'collection').collection;
  }

  async close(): Promise<void> {
    for (const entity of this.entries.values()) {
      if (entity.kind === 'session') await entity.session.endSession().catch(() => {});
    }
    for (const entity of this.entries.values()) {
      if (entity.kind === 'client') {
        entity.recording = false;
        await entity.client.close().catch(() => {});
      }
    }
    this.entries.clear();
  }
}
