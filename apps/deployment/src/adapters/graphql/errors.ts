import { mapDomainErrors } from '@flightdeck/subgraph';
import { NotFoundError, RolloutRuleError } from '../../domain/index.js';

/** Wraps a resolver so its domain and persistence errors reach the client as GraphQL errors with a code clients can act on. */
export const { mapped } = mapDomainErrors({ rule: RolloutRuleError, notFound: NotFoundError });
