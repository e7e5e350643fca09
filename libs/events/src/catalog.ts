import type { z } from 'zod';
import {
  buildEvent,
  describeIssues,
  eventTypePattern,
  InvalidEventError,
  type CloudEvent,
  type NewEvent,
} from './envelope.js';

export interface EventDefinition<S extends z.ZodType = z.ZodType> {
  readonly type: string;
  readonly version: number;
  readonly schema: S;
  /** Builds a new event of this type and version; the payload is validated now, not at publish time only. */
  create(input: NewEvent<z.input<S>>): CloudEvent<z.output<S>>;
  /** Narrows a validated event to this definition's payload type. */
  is(event: CloudEvent): event is CloudEvent<z.output<S>>;
}

export function defineEvent<S extends z.ZodType>(def: {
  type: string;
  version: number;
  schema: S;
}): EventDefinition<S> {
  if (!eventTypePattern.test(def.type)) {
    throw new Error(
      `event type "${def.type}" is invalid: expected flightdeck.<service>.<entity>.<event> in lower case`,
    );
  }
  if (!Number.isInteger(def.version) || def.version < 1)
    throw new Error(`event ${def.type}: version must be a positive integer, got ${def.version}`);
  return {
    type: def.type,
    version: def.version,
    schema: def.schema,
    create(input) {
      const parsed = def.schema.safeParse(input.data);
      if (!parsed.success)
        throw new InvalidEventError(`${def.type} v${def.version} payload is invalid: ${describeIssues(parsed.error)}`);
      return buildEvent(def.type, def.version, { ...input, data: parsed.data as z.output<S> });
    },
    is(event): event is CloudEvent<z.output<S>> {
      return event.type === def.type && event.dataschemaversion === def.version;
    },
  };
}

/** Every event type and version the platform knows, so payloads are checked on publish and on consume. */
export class EventCatalog {
  private readonly byKey = new Map<string, EventDefinition>();

  constructor(definitions: Iterable<EventDefinition> = []) {
    for (const d of definitions) this.register(d);
  }

  register(def: EventDefinition): this {
    const key = `${def.type}@${def.version}`;
    const existing = this.byKey.get(key);
    if (existing && existing !== def)
      throw new Error(`event ${def.type} v${def.version} is defined twice in the catalog`);
    this.byKey.set(key, def);
    return this;
  }

  get(type: string, version: number): EventDefinition | undefined {
    return this.byKey.get(`${type}@${version}`);
  }

  types(): string[] {
    return [...new Set([...this.byKey.values()].map((d) => d.type))].sort();
  }

  /** Checks the payload against the catalog entry of its type and version and returns the event with the parsed payload. */
  validate(event: CloudEvent): CloudEvent {
    const def = this.get(event.type, event.dataschemaversion);
    if (!def) {
      const known = [...this.byKey.values()].filter((d) => d.type === event.type).map((d) => `v${d.version}`);
      throw new InvalidEventError(
        known.length
          ? `event ${event.id}: ${event.type} v${event.dataschemaversion} is not in the catalog (known versions: ${known.join(', ')})`
          : `event ${event.id}: type ${event.type} is not in the event catalog`,
      );
    }
    const parsed = def.schema.safeParse(event.data);
    if (!parsed.success)
      throw new InvalidEventError(
        `event ${event.id}: ${event.type} v${event.dataschemaversion} payload is invalid: ${describeIssues(parsed.error)}`,
      );
    return { ...event, data: parsed.data };
  }
}
