import { mapDomainErrors } from '@flightdeck/subgraph';
import { AnalyticsRuleError, NotFoundError } from '../../domain/errors.js';

/** Wraps a resolver so its domain and persistence errors reach the client as GraphQL errors with a code clients can act on. */
export const { mapped } = mapDomainErrors({ rule: AnalyticsRuleError, notFound: NotFoundError });
