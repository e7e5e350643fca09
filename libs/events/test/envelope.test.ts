import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  decodeEnvelope,
  defineEvent,
  encodeEvent,
  EventCatalog,
  eventCatalog,
  featureChanged,
  InvalidEventError,
  releaseCreated,
  releaseStatusChanged,
  scopeRecommended,
  subjectMatches,
} from '../src/index.js';

describe('CloudEvents envelope and catalog', () => {
  it('builds a CloudEvents 1.0 structured event whose type is the subject and whose payload version is an attribute', () => {
    const e = releaseCreated.create({
      source: '/flightdeck/planning',
      subject: 'rel-1',
      data: { releaseId: 'rel-1', name: 'Spring', version: '2.0.0', releaseType: 'MAJOR' },
    });
    expect(e).toMatchObject({
      specversion: '1.0',
      type: 'flightdeck.planning.release.created',
      source: '/flightdeck/planning',
      subject: 'rel-1',
      datacontenttype: 'application/json',
      dataschema: 'urn:flightdeck:event:flightdeck.planning.release.created:v1',
      dataschemaversion: 1,
    });
    expect(e.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number.isNaN(Date.parse(e.time))).toBe(false);
    expect(decodeEnvelope(encodeEvent(e))).toEqual(e);
    expect(releaseCreated.is(e)).toBe(true);
    expect(featureChanged.is(e)).toBe(false);
  });

  it('refuses to build an event whose payload breaks its schema, naming the field', () => {
    expect(() =>
      releaseStatusChanged.create({ source: 's', data: { releaseId: 'r', from: 'PLANNED', to: 'SHIPPED' as never } }),
    ).toThrow(/to: Invalid option/);
  });

  it('the catalog rejects unknown types and versions and invalid payloads, saying which', () => {
    const e = releaseCreated.create({
      source: 's',
      data: { releaseId: 'r', name: 'n', version: '1.0.0', releaseType: 'PATCH' },
    });
    expect(eventCatalog.validate(e)).toEqual(e);
    expect(() => eventCatalog.validate({ ...e, dataschemaversion: 7 })).toThrow(
      /v7 is not in the catalog \(known versions: v1/,
    );
    expect(() => eventCatalog.validate({ ...e, type: 'flightdeck.nope.thing.done' })).toThrow(
      /type flightdeck.nope.thing.done is not in the event catalog/,
    );
    expect(() => eventCatalog.validate({ ...e, data: { releaseId: 'r' } })).toThrow(InvalidEventError);
    expect(eventCatalog.types()).toEqual(
      expect.arrayContaining([
        'flightdeck.planning.feature.changed',
        'flightdeck.planning.release.created',
        'flightdeck.planning.release.status_changed',
      ]),
    );
  });

  it('registers the recommended scope, refusing a source other than ai or deterministic', () => {
    const data = {
      releaseId: 'r',
      product: 'shop',
      source: 'ai' as const,
      predictionId: 'p1',
      recommended: ['f1'],
      leftOut: ['f2'],
      capacity: 12,
      at: '2026-03-01T00:00:00Z',
    };
    const e = scopeRecommended.create({ source: '/flightdeck/planning', data });
    expect(eventCatalog.validate(e)).toEqual(e);
    expect(eventCatalog.types()).toContain('flightdeck.planning.scope.recommended');
    expect(() => eventCatalog.validate({ ...e, data: { ...data, source: 'team' } })).toThrow(/source/);
  });

  it('keeps several versions of one type side by side', () => {
    const v1 = defineEvent({ type: 'flightdeck.test.widget.made', version: 1, schema: z.object({ size: z.number() }) });
    const v2 = defineEvent({
      type: 'flightdeck.test.widget.made',
      version: 2,
      schema: z.object({ size: z.number(), colour: z.string() }),
    });
    const catalog = new EventCatalog([v1, v2]);
    expect(() => catalog.validate(v1.create({ source: 's', data: { size: 1 } }))).not.toThrow();
    expect(() => catalog.validate({ ...v1.create({ source: 's', data: { size: 1 } }), dataschemaversion: 2 })).toThrow(
      /colour/,
    );
    expect(() =>
      catalog.register(defineEvent({ type: 'flightdeck.test.widget.made', version: 1, schema: z.object({}) })),
    ).toThrow(/defined twice/);
  });

  it('rejects event types that are not flightdeck.<service>.<entity>.<event>', () => {
    expect(() => defineEvent({ type: 'planning.release.created', version: 1, schema: z.object({}) })).toThrow(
      /flightdeck.<service>.<entity>.<event>/,
    );
    expect(() =>
      defineEvent({ type: 'flightdeck.planning.release.created', version: 0, schema: z.object({}) }),
    ).toThrow(/positive integer/);
  });

  it('decoding says what is wrong with a bad message', () => {
    const enc = new TextEncoder();
    expect(() => decodeEnvelope(enc.encode('not json'))).toThrow(/not JSON/);
    expect(() => decodeEnvelope(enc.encode('{"specversion":"0.3"}'))).toThrow(/specversion/);
  });

  it('matches NATS subjects with * and >', () => {
    expect(subjectMatches('flightdeck.>', 'flightdeck.planning.release.created')).toBe(true);
    expect(subjectMatches('flightdeck.*.release.*', 'flightdeck.planning.release.created')).toBe(true);
    expect(subjectMatches('flightdeck.gates.>', 'flightdeck.planning.release.created')).toBe(false);
    expect(subjectMatches('flightdeck.planning', 'flightdeck.planning.release')).toBe(false);
    expect(subjectMatches('flightdeck.planning.>', 'flightdeck.planning')).toBe(false);
  });
});
