/**
 * An OpenAI-compatible HTTP server for tests: POST /v1/chat/completions answers with scripted
 * responses after checking the request has a model, a messages array and a json_schema
 * response_format. Anything else gets the OpenAI error shape with a clear message.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the stub answers to one request. */
export type StubReply =
  /** The assistant message content, sent as-is (may be deliberately invalid). */
  | { content: string; finishReason?: 'stop' | 'length' }
  /** The assistant message content as JSON.stringify(json). */
  | { json: unknown }
  | { refusal: string }
  /** An HTTP error in the OpenAI error shape. */
  | StubFailure;

export interface StubFailure {
  status: number;
  message?: string;
  type?: string;
  code?: string;
}

export interface StubRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body, or the raw text when it was not JSON. */
  body: unknown;
}

/** A chat completions request that passed the stub's checks. */
export interface ChatRequest {
  model: string;
  messages: { role: string; content: unknown }[];
  response_format: {
    type: 'json_schema';
    json_schema: { name: string; schema: Record<string, unknown>; strict?: boolean };
  };
  [key: string]: unknown;
}

export interface OpenAIStubOptions {
  /** Answers used in order (one per valid request), or a function of the request. */
  responses: StubReply[] | ((request: ChatRequest, index: number) => StubReply | Promise<StubReply>);
  /** Waits this long before answering every request (to provoke client timeouts). */
  delayMs?: number;
  /** Fails every valid request with this HTTP error instead of answering. */
  failWith?: StubFailure;
  /** When set, requests must carry `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
}

export interface OpenAIStub {
  /** The base URL including /v1, for `new OpenAI({ baseURL })`. */
  url: string;
  /** Every request received, valid or not, in order. */
  requests: StubRequest[];
  stop(): Promise<void>;
}

const MAX_BODY_BYTES = 1_000_000;

export async function startOpenAIStub(options: OpenAIStubOptions): Promise<OpenAIStub> {
  const requests: StubRequest[] = [];
  let answered = 0;

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      sendError(res, {
        status: 500,
        message: `the OpenAI stub failed: ${error instanceof Error ? error.message : String(error)}`,
        type: 'server_error',
      });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await readBody(req);
    const path = (req.url ?? '/').split('?')[0]!;
    const body = text === undefined ? undefined : parseJson(text);
    requests.push({ method: req.method ?? '', path, headers: req.headers, body: body === undefined ? text : body });

    if (text === undefined)
      return sendError(res, { status: 413, message: `the request body is larger than ${MAX_BODY_BYTES} bytes` });
    if (path !== '/v1/chat/completions') {
      return sendError(res, {
        status: 404,
        message: `unknown endpoint ${req.method} ${path}: the stub serves POST /v1/chat/completions`,
        code: 'unknown_url',
      });
    }
    if (req.method !== 'POST')
      return sendError(res, { status: 405, message: `${req.method} ${path} is not allowed: use POST` });
    if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      return sendError(res, {
        status: 401,
        message: 'missing or wrong API key: expected Authorization: Bearer <key>',
        type: 'invalid_request_error',
        code: 'invalid_api_key',
      });
    }
    if (body === undefined) return sendError(res, { status: 400, message: 'the request body is not valid JSON' });
    const problem = checkChatRequest(body);
    if (problem) return sendError(res, { status: 400, ...problem });
    const chat = body as ChatRequest;

    if (options.delayMs) await delay(options.delayMs);
    if (res.destroyed) return; // the client gave up waiting
    if (options.failWith) return sendError(res, options.failWith);

    const index = answered++;
    const reply = Array.isArray(options.responses) ? options.responses[index] : await options.responses(chat, index);
    if (!reply) {
      return sendError(res, {
        status: 500,
        message: `the stub has no scripted response for request #${index + 1} (it has ${options.responses.length})`,
        type: 'server_error',
      });
    }
    if ('status' in reply) return sendError(res, reply);
    sendJson(res, 200, completion(chat.model, index, reply));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Why a chat completions body is not what an OpenAI client with structured outputs sends, or undefined. */
function checkChatRequest(body: unknown): { message: string; param: string } | undefined {
  if (!isObject(body)) return { message: 'the request body must be a JSON object', param: '' };
  if (typeof body.model !== 'string' || body.model === '')
    return { message: '\'model\' is required: a non-empty string such as "gpt-4o-mini"', param: 'model' };
  if (!Array.isArray(body.messages) || body.messages.length === 0)
    return { message: "'messages' must be a non-empty array", param: 'messages' };
  const badMessage = body.messages.findIndex((m) => !isObject(m) || typeof m.role !== 'string' || !('content' in m));
  if (badMessage >= 0)
    return {
      message: `messages[${badMessage}] must be an object with 'role' and 'content'`,
      param: `messages[${badMessage}]`,
    };
  const format = body.response_format;
  if (!isObject(format) || format.type !== 'json_schema') {
    return {
      message: "'response_format' must be { type: 'json_schema', json_schema: { name, schema } } (structured outputs)",
      param: 'response_format',
    };
  }
  const jsonSchema = format.json_schema;
  if (!isObject(jsonSchema) || typeof jsonSchema.name !== 'string' || !/^[a-zA-Z0-9_-]{1,64}$/.test(jsonSchema.name)) {
    return {
      message: "'response_format.json_schema.name' must be 1–64 letters, digits, '_' or '-'",
      param: 'response_format.json_schema.name',
    };
  }
  if (!isObject(jsonSchema.schema))
    return {
      message: "'response_format.json_schema.schema' must be a JSON schema object",
      param: 'response_format.json_schema.schema',
    };
  return undefined;
}

function completion(model: string, index: number, reply: Exclude<StubReply, StubFailure>) {
  const content = 'json' in reply ? JSON.stringify(reply.json) : 'content' in reply ? reply.content : null;
  const refusal = 'refusal' in reply ? reply.refusal : null;
  const finishReason = 'finishReason' in reply && reply.finishReason ? reply.finishReason : 'stop';
  return {
    id: `chatcmpl-stub-${index + 1}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      { index: 0, message: { role: 'assistant', content, refusal }, finish_reason: finishReason, logprobs: null },
    ],
    usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
  };
}

function sendError(res: ServerResponse, failure: StubFailure & { param?: string }): void {
  const type = failure.type ?? (failure.status >= 500 ? 'server_error' : 'invalid_request_error');
  sendJson(res, failure.status, {
    error: {
      message: failure.message ?? `stub failure ${failure.status}`,
      type,
      param: failure.param ?? null,
      code: failure.code ?? null,
    },
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.destroyed || res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** The body as text, or undefined when it is larger than the limit. */
async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Read to the end even when too large, so the error response still reaches the client.
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  }
  return size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
