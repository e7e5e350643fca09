import { describe, expect, it } from 'vitest';
import { runWithContext } from '@flightdeck/telemetry';
import { requestActor } from '../src/index.js';

describe('requestActor', () => {
  it('names the caller by subject and keeps the display name beside it (the subject when the token has none)', () => {
    expect(requestActor({ subject: 'rita', name: 'Rita Manager', roles: ['RELEASE_MANAGER'], machine: false })).toEqual(
      { by: 'rita', byName: 'Rita Manager' },
    );
    expect(requestActor({ subject: 'ravi', roles: ['RELEASE_MANAGER'], machine: false })).toEqual({
      by: 'ravi',
      byName: 'ravi',
    });
  });

  it("carries the request's correlation id", () => {
    const actor = runWithContext({ requestId: 'req-1', correlationId: 'corr-1' }, () =>
      requestActor({ subject: 'rita', roles: [], machine: false }),
    );
    expect(actor).toEqual({ by: 'rita', byName: 'rita', correlationId: 'corr-1' });
  });
});
