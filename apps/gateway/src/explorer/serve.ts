import express, { type Express } from 'express';
import { join } from 'node:path';

/** Nothing the page loads may come from elsewhere: it must work offline and behind a proxy. */
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; frame-ancestors 'none'";

/**
 * Serves the explorer bundle (see build.ts): a browser opening the GraphQL URL (GET /graphql asking for HTML) gets
 * the page, its files are under /explorer/, and / leads to it. Mounted before /graphql; GraphQL requests pass by.
 */
export function mountExplorer(app: Express, dir: string): void {
  const index = join(dir, 'index.html');
  app.get('/', (_req, res) => res.redirect(302, '/graphql'));
  app.use(
    '/explorer',
    express.static(dir, {
      index: false,
      fallthrough: false,
      setHeaders: (res) => res.setHeader('content-security-policy', CONTENT_SECURITY_POLICY),
    }),
  );
  app.get('/graphql', (req, res, next) => {
    if (
      req.query.query !== undefined ||
      req.accepts(['application/json', 'application/graphql-response+json', 'text/html']) !== 'text/html'
    )
      return next();
    res.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
    res.sendFile(index);
  });
}

/** Without an explorer, / says where the API is instead of answering "no route". */
export function mountApiPointer(app: Express): void {
  app.get('/', (_req, res) => {
    res
      .type('text/plain')
      .send(
        'Flightdeck GraphQL gateway: POST GraphQL requests to /graphql. The explorer page is served where introspection is on and the explorer is built (npm start).\n',
      );
  });
}
