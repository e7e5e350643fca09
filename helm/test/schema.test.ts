import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { chartArgs, chartDir, helm } from './helm.js';

// values.schema.json makes helm refuse a wrong value before rendering anything, naming the key.

const refused = [
  { set: 'gateway.replicas=two', at: '/gateway/replicas', says: 'want integer' },
  { set: 'planning.replica=3', at: '/planning', says: "additional properties 'replica' not allowed" },
  { set: 'prometheus.url=prometheus:9090', at: '/prometheus/url', says: 'does not match pattern' },
  { set: 'auth.jwksUrl=ftp://idp.example.com/jwks', at: '/auth/jwksUrl', says: 'does not match pattern' },
  { set: 'nats.url=http://nats:4222', at: '/nats/url', says: 'does not match pattern' },
  { set: 'mongodb.uri=mongodb://mongodb:27017/flightdeck', at: '/mongodb/uri', says: 'does not match pattern' },
  { set: 'gateway.corsOrigins[0]=console.example.com', at: '/gateway/corsOrigins/0', says: 'does not match pattern' },
  { set: 'logLevel=verbose', at: '/logLevel', says: 'value must be one of' },
  {
    set: 'deployment.autoscaling.enabled=true',
    at: '/deployment',
    says: "additional properties 'autoscaling' not allowed",
  },
  {
    set: 'gates.env.evidence_max_bytes=1',
    at: '/gates/env',
    says: "additional properties 'evidence_max_bytes' not allowed",
  },
  { set: 'serviceMonitor.interval=fast', at: '/serviceMonitor/interval', says: 'does not match pattern' },
];

describe('helm refuses a wrong value, naming the key', () => {
  it.each(refused)('--set $set', ({ set, at, says }) => {
    const result = helm(['template', ...chartArgs({}), '--set', set]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("values don't meet the specifications of the schema");
    expect(result.stderr).toContain(`at '${at}'`);
    expect(result.stderr).toContain(says);
  });

  it('says how long a secret must be without printing it', () => {
    const result = helm(['template', ...chartArgs({}), '--set', 'auth.jwtSecret=hunter2-too-short']);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("at '/auth/jwtSecret'");
    expect(result.stderr).toContain('want 32');
    expect(result.stderr).not.toContain('hunter2');
  });

  it('refuses a variable in <service>.env that the chart sets itself, saying which value to use', () => {
    const result = helm(['template', ...chartArgs({}), '--set', 'gateway.env.PORT=5000']);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('gateway.env.PORT: the chart sets PORT itself');
  });

  it('stops when the deployment service has no Prometheus to analyse rollouts with', () => {
    const result = helm(['template', ...chartArgs({}), '--set', 'prometheus.url=']);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('prometheus.url: the deployment service analyses rollouts in Prometheus');
  });
});

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  $ref?: string;
  $defs?: Record<string, Schema>;
};

it('types every key of values.yaml, and has no key values.yaml does not document', () => {
  const schema = JSON.parse(readFileSync(join(chartDir, 'values.schema.json'), 'utf8')) as Schema;
  const values = parse(readFileSync(join(chartDir, 'values.yaml'), 'utf8')) as Record<string, unknown>;
  const resolve = (s: Schema): Schema => (s.$ref ? resolve(schema.$defs![s.$ref.replace('#/$defs/', '')]!) : s);
  const undocumented: string[] = [];
  const untyped: string[] = [];
  const walk = (s: Schema, v: unknown, path: string) => {
    const node = resolve(s);
    if (!node.properties) return; // a free map or list (labels, tolerations, env...): its entries are the user's
    const value = (v ?? {}) as Record<string, unknown>;
    for (const key of Object.keys(node.properties)) {
      if (!(key in value)) undocumented.push(`${path}${key}`);
      else walk(node.properties[key]!, value[key], `${path}${key}.`);
    }
    for (const key of Object.keys(value))
      if (!(key in node.properties) && node.additionalProperties === false) untyped.push(`${path}${key}`);
  };
  walk(schema, values, '');
  expect(untyped, 'in values.yaml, not in values.schema.json').toEqual([]);
  expect(
    undocumented.filter((k) => !k.endsWith('.claims') && !k.endsWith('.endPort')),
    'in values.schema.json, not in values.yaml',
  ).toEqual([]);
});
