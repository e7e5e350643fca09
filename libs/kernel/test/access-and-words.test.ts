import { describe, expect, it } from 'vitest';
import {
  agree,
  authorize,
  count,
  ForbiddenError,
  requireHuman,
  UnauthenticatedError,
  type Identity,
} from '../src/index.js';

const rita: Identity = { subject: 'rita', roles: ['RELEASE_MANAGER'], machine: false };
const pipeline: Identity = { subject: 'pipeline', roles: ['CI', 'RELEASE_MANAGER'], machine: true };

describe('authorize and requireHuman', () => {
  it('let a caller holding one of the roles through, and refuse the others naming the action, the roles needed and held', () => {
    expect(authorize(rita, ['RELEASE_MANAGER', 'SRE'], 'starting a rollout')).toBe(rita);
    expect(authorize(rita)).toBe(rita);
    const refusal = (() => {
      try {
        authorize(
          { subject: 'dev', roles: ['DEVELOPER'], machine: false },
          ['RELEASE_MANAGER', 'SRE'],
          'starting a rollout',
        );
      } catch (err) {
        return err;
      }
    })();
    expect(refusal).toBeInstanceOf(ForbiddenError);
    expect(refusal).toMatchObject({
      message: 'starting a rollout needs one of the roles RELEASE_MANAGER, SRE; dev has DEVELOPER',
      needed: ['RELEASE_MANAGER', 'SRE'],
      held: ['DEVELOPER'],
    });
    expect(() => authorize({ subject: 'nobody', roles: [], machine: false }, ['SRE'])).toThrow(
      'this needs one of the roles SRE; nobody has no roles',
    );
  });

  it('refuse an anonymous caller as unauthenticated, and a machine identity where a person must decide', () => {
    expect(() => authorize(undefined)).toThrow(UnauthenticatedError);
    expect(() => requireHuman(undefined)).toThrow(UnauthenticatedError);
    expect(() => requireHuman(pipeline, 'approve a gate')).toThrow(
      'pipeline is a machine identity (CI): only a person may approve a gate',
    );
    expect(() => requireHuman({ ...rita, roles: ['CI'] })).toThrow(ForbiddenError);
    expect(requireHuman(rita)).toBe(rita);
  });
});

describe('count and agree', () => {
  it('put the noun and the verb in the number of the count', () => {
    expect([
      count(0, 'replica'),
      count(1, 'replica'),
      count(3, 'replica'),
      count(1, 'criterion', 'criteria'),
      count(2, 'criterion', 'criteria'),
    ]).toEqual(['0 replicas', '1 replica', '3 replicas', '1 criterion', '2 criteria']);
    expect(`${count(1, 'planned feature')} ${agree(1, 'is', 'are')} done`).toBe('1 planned feature is done');
  });
});
