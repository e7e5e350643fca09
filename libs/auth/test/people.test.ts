import { describe, expect, it } from 'vitest';
import { createTokenVerifier, mintToken, personOf } from '../src/index.js';

const secret = 'people-test-secret-at-least-32-characters';
const verifier = createTokenVerifier({ secret });

describe('people in records', () => {
  it('are keyed by subject; the display name is carried beside it, or the subject when the token has none', async () => {
    const named = await verifier.verify(
      await mintToken({ secret, subject: 'rita', name: 'Rita Manager', roles: ['RELEASE_MANAGER'] }),
    );
    const plain = await verifier.verify(await mintToken({ secret, subject: 'rita', roles: ['TECHNICAL_LEAD'] }));
    expect(personOf(named)).toEqual({ subject: 'rita', name: 'Rita Manager' });
    expect(personOf(plain)).toEqual({ subject: 'rita', name: 'rita' });
    expect(personOf({ subject: 'sam', name: '   ' })).toEqual({ subject: 'sam', name: 'sam' });
  });
});
