import type { Identity } from './roles.js';

/** Turns a bearer token into the identity it proves, or throws an AuthenticationError saying why not. */
export interface TokenVerifier {
  verify(token: string): Promise<Identity>;
}
