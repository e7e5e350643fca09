import type { Response } from 'express';

/**
 * Answers an HTTP request with a GraphQL-shaped error body, for refusals that happen before
 * Apollo Server sees the request (bad token, oversized body), so clients parse one error format.
 */
export function sendGraphQLError(
  res: Response,
  status: number,
  message: string,
  code: string,
  extensions: Record<string, unknown> = {},
): void {
  res
    .status(status)
    .type('application/json')
    .send(JSON.stringify({ errors: [{ message, extensions: { code, ...extensions } }] }));
}
