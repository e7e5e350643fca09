// The GraphQL explorer's page: GraphiQL, bundled with everything it needs by src/explorer/build.ts, so the gateway
// serves it whole (no CDN, works offline and behind a proxy). Plain JavaScript: it runs in the browser.
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import 'graphiql/style.css';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';

const defaultQuery = `# Flightdeck's GraphQL API: planning, gates, deployment and analytics in one graph.
# Reading needs no token. A mutation does: open "Headers" below and paste
#   {"authorization": "Bearer <the token npm start printed, or one from npm run mint-token>"}
{
  releases(first: 5) {
    totalCount
    edges { node { id product version status } }
  }
}
`;

const fetcher = createGraphiQLFetcher({ url: new URL('/graphql', window.location.href).href });
createRoot(document.getElementById('graphiql')).render(
  createElement(GraphiQL, { fetcher, defaultQuery, defaultEditorToolsVisibility: 'headers' }),
);
