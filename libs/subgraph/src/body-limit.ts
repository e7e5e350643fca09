import express, { type ErrorRequestHandler, type Router } from 'express';
import { sendGraphQLError } from './graphql-error-response.js';

interface BodyParserError extends Error {
  type?: string;
  status?: number;
  length?: number;
  limit?: number;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${+(bytes / (1024 * 1024)).toFixed(2)} MB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(2)} KB`;
  return `${bytes} bytes`;
}

/**
 * Parses JSON request bodies up to `maxBytes`. A larger body is refused with HTTP 413 and a
 * GraphQL error saying its size and the limit; malformed JSON gets a 400 saying so.
 */
export function bodyLimit(maxBytes: number): Router {
  const onError: ErrorRequestHandler = (error: BodyParserError, _req, res, next) => {
    if (error.type === 'entity.too.large') {
      const size = error.length ? `${formatBytes(error.length)}` : `larger than ${formatBytes(maxBytes)}`;
      sendGraphQLError(
        res,
        413,
        `Request body is ${size}; the limit is ${formatBytes(maxBytes)}. Send a smaller query or fewer variables.`,
        'PAYLOAD_TOO_LARGE',
        {
          limitBytes: maxBytes,
          ...(error.length ? { sizeBytes: error.length } : {}),
        },
      );
      return;
    }
    if (error.type === 'entity.parse.failed') {
      sendGraphQLError(
        res,
        400,
        `Request body is not valid JSON: ${error.message}. Send {"query": "...", "variables": {...}} as application/json.`,
        'BAD_REQUEST',
      );
      return;
    }
    next(error);
  };
  const router = express.Router();
  router.use(express.json({ limit: maxBytes }), onError);
  return router;
}
