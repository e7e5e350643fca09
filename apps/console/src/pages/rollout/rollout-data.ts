/** A rollout as the live view reads it. */
export type RolloutData = NonNullable<import('../../gql/graphql.js').RolloutLiveQuery['rollout']>;
