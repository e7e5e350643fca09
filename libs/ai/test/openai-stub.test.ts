import { startOpenAIStub, type OpenAIStub } from '@flightdeck/testing';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';

const validBody = {
  model: 'gpt-test',
  messages: [{ role: 'user', content: 'hello' }],
  response_format: { type: 'json_schema', json_schema: { name: 'answer', schema: { type: 'object' } } },
};

let stub: OpenAIStub | undefined;
afterEach(async () => {
  await stub?.stop();
  stub = undefined;
});

async function post(body: unknown, opts: { path?: string; headers?: Record<string, string> } = {}) {
  const res = await fetch(`${stub!.url.replace(/\/v1$/, '')}${opts.path ?? '/v1/chat/completions'}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...opts.headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return {
    status: res.status,
    body: (await res.json()) as { error?: { message: string; type: string; param: string | null } },
  };
}

describe('OpenAI stub', () => {
  it('answers a structured-output request through the official SDK with the scripted JSON', async () => {
    stub = await startOpenAIStub({ responses: [{ json: { answer: 42 } }] });
    const client = new OpenAI({ baseURL: stub.url, apiKey: 'k', maxRetries: 0 });
    const completion = await client.chat.completions.create(validBody as OpenAI.ChatCompletionCreateParamsNonStreaming);
    expect(completion.model).toBe('gpt-test');
    expect(JSON.parse(completion.choices[0]!.message.content!)).toEqual({ answer: 42 });
    expect(stub.requests).toHaveLength(1);
    expect(stub.requests[0]).toMatchObject({ method: 'POST', path: '/v1/chat/completions', body: validBody });
  });

  it.each([
    ['model is missing', { ...validBody, model: undefined }, 'model'],
    ['messages is not an array', { ...validBody, messages: 'hi' }, 'messages'],
    ['a message has no role', { ...validBody, messages: [{ content: 'x' }] }, 'messages[0]'],
    ['response_format is missing', { ...validBody, response_format: undefined }, 'response_format'],
    ['response_format is json_object', { ...validBody, response_format: { type: 'json_object' } }, 'response_format'],
    [
      'the json_schema has no schema',
      { ...validBody, response_format: { type: 'json_schema', json_schema: { name: 'a' } } },
      'response_format.json_schema.schema',
    ],
  ])('rejects a request where %s with an OpenAI-shaped 400', async (_case, body, param) => {
    stub = await startOpenAIStub({ responses: [{ json: {} }] });
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ type: 'invalid_request_error', param });
    expect(res.body.error!.message).toContain(param.split('.')[0]!.replace(/\[0\]$/, ''));
    expect(stub.requests).toHaveLength(1);
  });

  it('rejects a body that is not JSON, an unknown path and a wrong API key, and keeps serving', async () => {
    stub = await startOpenAIStub({ responses: [{ json: { ok: true } }], apiKey: 'secret' });
    const auth = { authorization: 'Bearer secret' };
    expect((await post('{not json', { headers: auth })).status).toBe(400);
    const notFound = await post(validBody, { path: '/v1/embeddings', headers: auth });
    expect(notFound.status).toBe(404);
    expect(notFound.body.error!.message).toContain('POST /v1/chat/completions');
    expect((await post(validBody, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    const ok = await post(validBody, { headers: auth });
    expect(ok.status).toBe(200);
    expect(stub.requests.map((r) => r.body)).toEqual(['{not json', validBody, validBody, validBody]);
  });

  it('says so when the scripted responses run out, and can answer with a function of the request', async () => {
    stub = await startOpenAIStub({ responses: [{ json: 1 }] });
    expect((await post(validBody)).status).toBe(200);
    const exhausted = await post(validBody);
    expect(exhausted.status).toBe(500);
    expect(exhausted.body.error!.message).toContain('no scripted response for request #2');
    await stub.stop();

    stub = await startOpenAIStub({ responses: (req, i) => ({ json: { echo: req.model, i } }) });
    const client = new OpenAI({ baseURL: stub.url, apiKey: 'k', maxRetries: 0 });
    const completion = await client.chat.completions.create({
      ...validBody,
      model: 'other',
    } as OpenAI.ChatCompletionCreateParamsNonStreaming);
    expect(JSON.parse(completion.choices[0]!.message.content!)).toEqual({ echo: 'other', i: 0 });
  });

  it('fails every valid request with failWith', async () => {
    stub = await startOpenAIStub({ responses: [], failWith: { status: 503, message: 'overloaded' } });
    const res = await post(validBody);
    expect(res.status).toBe(503);
    expect(res.body.error).toMatchObject({ message: 'overloaded', type: 'server_error' });
  });
});
