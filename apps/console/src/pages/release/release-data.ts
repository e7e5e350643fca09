/** A release as the release page reads it. */
export type ReleaseData = NonNullable<import('../../gql/graphql.js').ReleasePageQuery['release']>;
