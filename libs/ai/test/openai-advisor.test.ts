import { startOpenAIStub, type ChatRequest, type OpenAIStub } from '@flightdeck/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { AdviceFailedError, OpenAIAdvisor } from '../src/index.js';
import { aiAnswer, riskRequest } from './helpers.js';

let stub: OpenAIStub | undefined;
afterEach(async () => {
  await stub?.stop();
  stub = undefined;
});

const options = (url: string) => ({
  baseURL: url,
  apiKey: 'test-key',
  model: 'gpt-test',
  timeoutMs: 5_000,
  maxRetries: 0,
});

describe('OpenAIAdvisor against the OpenAI-compatible stub', () => {
  it('parses and validates the structured answer', async () => {
    stub = await startOpenAIStub({ responses: [{ json: aiAnswer }], apiKey: 'test-key' });
    const advice = await new OpenAIAdvisor(options(stub.url)).advise(riskRequest());
    expect(advice).toMatchObject({
      value: aiAnswer.value,
      source: 'ai',
      model: 'gpt-test',
      confidence: 0.8,
      rationale: aiAnswer.rationale,
    });
    expect(advice.fallbackReason).toBeUndefined();
    expect(advice.predictionId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends the model, the instructions and facts as messages, and the answer schema as a strict json_schema response_format', async () => {
    stub = await startOpenAIStub({ responses: [{ json: aiAnswer }] });
    await new OpenAIAdvisor(options(stub.url)).advise(riskRequest());
    const request = stub.requests[0]!;
    expect(request.headers.authorization).toBe('Bearer test-key');
    const body = request.body as ChatRequest;
    expect(body.model).toBe('gpt-test');
    expect(body.messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(body.messages[0]!.content).toContain('Estimate how likely the release misses its date');
    expect(JSON.parse(body.messages[1]!.content as string)).toEqual({
      subject: 'release-2.4.0',
      input: riskRequest().input,
    });

    const format = body.response_format;
    expect(format.type).toBe('json_schema');
    expect(format.json_schema).toMatchObject({ name: 'flightdeck_timeline-risk', strict: true });
    const schema = format.json_schema.schema as {
      properties: Record<string, { properties?: Record<string, { enum?: string[] }> }>;
      required: string[];
    };
    expect(schema.required).toEqual(['value', 'confidence', 'rationale']);
    expect(schema.properties.value!.properties!.level!.enum).toEqual(['low', 'medium', 'high']);
  });

  it.each([
    [
      'violates the schema',
      { json: { ...aiAnswer, value: { ...aiAnswer.value, level: 'catastrophic' } } },
      'did not match the timeline-risk schema: value.level',
    ],
    ['has a confidence above 1', { json: { ...aiAnswer, confidence: 7 } }, 'confidence'],
    ['is not JSON', { content: 'I think it is risky.' }, 'the answer was not JSON'],
    ['is a refusal', { refusal: 'I cannot help with that.' }, 'the model refused to answer: I cannot help with that.'],
    ['was cut off', { content: '{"value": {', finishReason: 'length' as const }, 'cut off'],
  ])('throws AdviceFailedError saying why when the answer %s', async (_case, reply, reason) => {
    stub = await startOpenAIStub({ responses: [reply] });
    const error = await new OpenAIAdvisor(options(stub.url)).advise(riskRequest()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdviceFailedError);
    expect((error as AdviceFailedError).reason).toContain(reason);
  });

  it('retries a 5xx answer as configured and reports the status', async () => {
    stub = await startOpenAIStub({ responses: [], failWith: { status: 500, message: 'boom' } });
    const error = await new OpenAIAdvisor({ ...options(stub.url), maxRetries: 1 })
      .advise(riskRequest())
      .catch((e: unknown) => e);
    expect((error as AdviceFailedError).reason).toBe('the AI endpoint answered HTTP 500 (2 attempts): 500 boom');
    expect(stub.requests).toHaveLength(2);
  });
});
