import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '@flightdeck/config';
import { gatewayConfigSchema, subgraphUrlOverrides, subgraphUrlVariable } from '../src/index.js';

const secret = { AUTH_JWT_SECRET: 'a-local-secret-of-at-least-32-characters' };

describe('gateway configuration', () => {
  it('has the documented defaults', () => {
    const config = loadConfig(gatewayConfigSchema([]), secret);
    expect(config).toMatchObject({
      PORT: 4000,
      GATEWAY_INTROSPECTION: false,
      GATEWAY_MAX_DEPTH: 10,
      GATEWAY_MAX_COST: 1000,
      GATEWAY_MAX_BODY_BYTES: 1048576,
    });
  });

  it('takes one SUBGRAPH_<NAME>_URL override per subgraph', () => {
    expect(subgraphUrlVariable('release-notes')).toBe('SUBGRAPH_RELEASE_NOTES_URL');
    const names = ['planning', 'release-notes'];
    const config = loadConfig(gatewayConfigSchema(names), {
      ...secret,
      SUBGRAPH_RELEASE_NOTES_URL: 'http://notes.internal:4010/graphql',
    });
    expect(subgraphUrlOverrides(names, config)).toEqual({ 'release-notes': 'http://notes.internal:4010/graphql' });
  });

  it('lists every bad variable at once', () => {
    let error: unknown;
    try {
      loadConfig(gatewayConfigSchema(['planning']), {
        ...secret,
        SUBGRAPH_PLANNING_URL: 'planning:4001',
        GATEWAY_MAX_DEPTH: 'deep',
        GATEWAY_CORS_ORIGINS: 'console.example.com',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((i) => i.variable).sort()).toEqual([
      'GATEWAY_CORS_ORIGINS',
      'GATEWAY_MAX_DEPTH',
      'SUBGRAPH_PLANNING_URL',
    ]);
  });
});
