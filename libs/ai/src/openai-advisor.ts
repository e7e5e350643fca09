import { randomUUID } from 'node:crypto';
import OpenAI from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import { z } from 'zod';
import { AdviceFailedError, type Advice, type AdviceRequest, type Advisor } from './advice.js';

export interface OpenAIAdvisorOptions {
  /** Any OpenAI-compatible endpoint including `/v1`, e.g. https://api.openai.com/v1, http://127.0.0.1:11434/v1 (Ollama). */
  baseURL: string;
  /** Sent as `Authorization: Bearer …`; local endpoints (vLLM, Ollama) usually need none. */
  apiKey?: string;
  model: string;
  /** Per attempt, in milliseconds. */
  timeoutMs: number;
  /** Retries after a connection error, timeout, 408, 409, 429 or 5xx (the SDK's rules). */
  maxRetries: number;
}

/** Without a key the SDK refuses to start, so a placeholder is sent; keyless endpoints ignore it. */
const NO_KEY = 'no-key-configured';

/** Asks an OpenAI-compatible chat completions endpoint with a structured-output schema; throws AdviceFailedError on any failure. */
export class OpenAIAdvisor implements Advisor {
  private readonly client: OpenAI;

  constructor(private readonly options: OpenAIAdvisorOptions) {
    this.client = new OpenAI({
      baseURL: options.baseURL,
      apiKey: options.apiKey || NO_KEY,
      timeout: options.timeoutMs,
      maxRetries: options.maxRetries,
    });
  }

  get model(): string {
    return this.options.model;
  }

  async advise<T>(request: AdviceRequest<T>): Promise<Advice<T>> {
    const answerSchema = z.object({
      value: request.schema,
      confidence: z.number().min(0).max(1),
      rationale: z.string(),
    });
    const completion = await this.complete(request, answerSchema);
    const choice = completion.choices[0];
    if (!choice) throw new AdviceFailedError('the AI endpoint answered with no choices');
    if (choice.message.refusal) throw new AdviceFailedError(`the model refused to answer: ${choice.message.refusal}`);
    if (choice.finish_reason === 'length')
      throw new AdviceFailedError('the answer was cut off (finish_reason "length")');
    const content = choice.message.content;
    if (!content) throw new AdviceFailedError('the answer had no content');

    let json: unknown;
    try {
      json = JSON.parse(content);
    } catch (error) {
      throw new AdviceFailedError(`the answer was not JSON (${(error as Error).message}): ${excerpt(content)}`);
    }
    const parsed = answerSchema.safeParse(json);
    if (!parsed.success) {
      throw new AdviceFailedError(
        `the answer did not match the ${request.kind} schema: ${describeIssues(parsed.error)}`,
      );
    }
    return {
      value: parsed.data.value as T,
      source: 'ai',
      model: completion.model || this.options.model,
      confidence: parsed.data.confidence,
      rationale: parsed.data.rationale,
      predictionId: randomUUID(),
    };
  }

  private async complete(request: AdviceRequest<unknown>, answerSchema: z.ZodType) {
    try {
      return await this.client.chat.completions.create({
        model: this.options.model,
        messages: [
          { role: 'system', content: systemPrompt(request) },
          { role: 'user', content: JSON.stringify({ subject: request.subject, input: request.input }) },
        ],
        response_format: zodResponseFormat(answerSchema, `flightdeck_${request.kind}`),
      });
    } catch (error) {
      throw new AdviceFailedError(this.describeFailure(error), { cause: error });
    }
  }

  private describeFailure(error: unknown): string {
    const attempts = `${this.options.maxRetries + 1} attempt${this.options.maxRetries === 0 ? '' : 's'}`;
    if (error instanceof OpenAI.APIConnectionTimeoutError) {
      return `the AI endpoint did not answer within ${this.options.timeoutMs} ms (${attempts})`;
    }
    if (error instanceof OpenAI.APIConnectionError) {
      const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
      return `could not reach the AI endpoint at ${this.options.baseURL} (${attempts})${cause}`;
    }
    if (error instanceof OpenAI.APIError && error.status !== undefined) {
      return `the AI endpoint answered HTTP ${error.status} (${attempts}): ${error.message}`;
    }
    return `the AI request failed: ${error instanceof Error ? error.message : String(error)}`;
  }
}

function systemPrompt(request: AdviceRequest<unknown>): string {
  return [
    `You advise on ${request.kind} for a software release managed with Flightdeck.`,
    request.instructions,
    'The user message is JSON with the subject and the facts. Base your advice only on those facts.',
    'Answer with JSON matching the response schema: "value" is your advice, "confidence" how sure you are from 0 to 1, "rationale" one or two sentences why.',
  ].join('\n');
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}

function excerpt(text: string): string {
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}
