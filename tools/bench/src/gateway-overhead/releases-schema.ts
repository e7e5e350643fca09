/** The one subgraph of the gateway-overhead benchmark: twenty releases, the same answer every time. */
export const releasesTypeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Release @key(fields: "id") {
    id: ID!
    version: String!
  }
  type Query {
    releases: [Release!]!
  }
`;

export const releases = Array.from({ length: 20 }, (_, i) => ({ id: `r${i}`, version: `1.${i}.0` }));

export const releasesQuery = 'query Releases { releases { id version } }';

/** What both the subgraph and the gateway must answer to every request: all the releases, no errors. */
export const expectedBody = JSON.stringify({ data: { releases } });
