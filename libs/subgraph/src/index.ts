export { createSubgraph, type Subgraph, type SubgraphContext, type SubgraphOptions, type SubgraphResolvers } from './create-subgraph.js';
export { authenticate, identityOf } from './authenticate.js';
export { bodyLimit, formatBytes } from './body-limit.js';
export { sendGraphQLError } from './graphql-error-response.js';
export { DateTime } from './date-time.js';
export { findSchemaFile, loadSchemaFile } from './schema-file.js';
