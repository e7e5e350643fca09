import { describe, expect, it } from 'vitest';
import { qualifyHotfix } from '../../src/domain/hotfix.js';

describe('hotfix qualification', () => {
  it('accepts the qualifying reasons with details', () => {
    expect(qualifyHotfix('PRODUCTION_DOWN', ' checkout returns 500 for all users ')).toEqual({
      reason: 'PRODUCTION_DOWN',
      details: 'checkout returns 500 for all users',
    });
  });
  it('refuses a missing or non-qualifying reason, listing the qualifying ones', () => {
    expect(() => qualifyHotfix(undefined, 'x'.repeat(20))).toThrow(
      /needs a qualifying reason: one of PRODUCTION_DOWN, CRITICAL_SECURITY_VULNERABILITY/,
    );
    expect(() => qualifyHotfix('CUSTOMER_ASKED', 'x'.repeat(20))).toThrow(
      /'CUSTOMER_ASKED' does not qualify.*patch release/,
    );
  });
  it('needs details of the emergency', () => {
    expect(() => qualifyHotfix('DATA_CORRUPTION_OR_LOSS', 'bad')).toThrow(/details of the emergency/);
  });
});
