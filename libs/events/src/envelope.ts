import { randomUUID } from 'node:crypto';
import { z } from 'zod';

/**
 * A CloudEvents 1.0 event in structured JSON mode. `dataschemaversion` is a CloudEvents
 * extension attribute carrying the payload's catalog version; `dataschema` names the same
 * schema as a URI so generic CloudEvents tooling can see it too.
 */
export interface CloudEvent<T = unknown> {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  subject?: string;
  time: string;
  datacontenttype: 'application/json';
  dataschema: string;
  dataschemaversion: number;
  /** Extension attribute: the correlation id of the request that caused this event. */
  correlationid?: string;
  data: T;
}

/** The type's subject form: `flightdeck.<service>.<entity>.<event>`, lower case with underscores. */
export const eventTypePattern = /^flightdeck\.[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/;

export const envelopeSchema = z.object({
  specversion: z.literal('1.0'),
  id: z.string().min(1),
  source: z.string().min(1),
  type: z.string().regex(eventTypePattern, 'expected flightdeck.<service>.<entity>.<event>'),
  subject: z.string().min(1).optional(),
  time: z.iso.datetime({ offset: true }),
  datacontenttype: z.literal('application/json'),
  dataschema: z.string().min(1),
  dataschemaversion: z.number().int().positive(),
  correlationid: z.string().min(1).optional(),
  data: z.unknown(),
});

export function schemaUri(type: string, version: number): string {
  return `urn:flightdeck:event:${type}:v${version}`;
}

export interface NewEvent<T> {
  source: string;
  subject?: string;
  data: T;
  id?: string;
  time?: Date | string;
  correlationid?: string;
}

export function buildEvent<T>(type: string, version: number, input: NewEvent<T>): CloudEvent<T> {
  const event: CloudEvent<T> = {
    specversion: '1.0',
    id: input.id ?? randomUUID(),
    source: input.source,
    type,
    time: input.time instanceof Date ? input.time.toISOString() : (input.time ?? new Date().toISOString()),
    datacontenttype: 'application/json',
    dataschema: schemaUri(type, version),
    dataschemaversion: version,
    data: input.data,
  };
  if (input.subject !== undefined) event.subject = input.subject;
  if (input.correlationid !== undefined) event.correlationid = input.correlationid;
  return event;
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

export function encodeEvent(event: CloudEvent): Uint8Array {
  return encoder.encode(JSON.stringify(event));
}

/** Parses bytes into an envelope (not yet the payload); throws an `InvalidEventError` saying what is wrong. */
export function decodeEnvelope(bytes: Uint8Array): CloudEvent {
  let json: unknown;
  const text = decoder.decode(bytes);
  try {
    json = JSON.parse(text);
  } catch {
    throw new InvalidEventError(
      `the message is not JSON (starts with ${JSON.stringify(text.slice(0, 40))}); expected a CloudEvents 1.0 structured JSON envelope`,
    );
  }
  const parsed = envelopeSchema.safeParse(json);
  if (!parsed.success)
    throw new InvalidEventError(`the CloudEvents envelope is invalid: ${describeIssues(parsed.error)}`);
  return parsed.data as CloudEvent;
}

/** A message that can never be handled (bad envelope, unknown type or version, invalid payload). */
export class InvalidEventError extends Error {
  override readonly name = 'InvalidEventError';
}

export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`).join('; ');
}
