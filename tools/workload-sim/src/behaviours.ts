import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';

/**
 * How simulated workloads behave, by container image: request rate, error ratio, latency, start delay, and
 * whether the image crashes. A behaviour file (YAML or JSON) maps images to behaviour; the key `default` applies
 * to images not listed, and keys may use `*` as a wildcard (`shop/web:2.*`).
 *
 *   default: { rps: 10, errorRatio: 0.001, p99Seconds: 0.2 }
 *   shop/web:2.0.0: { rps: 50, errorRatio: 0.2, p99Seconds: 1.5 }
 *   shop/web:2.0.1-broken: { crash: true }
 *
 * Images the file does not name follow TAG_CONVENTIONS: a tag whose pre-release part holds the word `bad`, `slow` or
 * `crash` (`2.0.0-bad`, `1.4.0-rc.1.slow`) behaves so, any other tag as the default.
 */

export const behaviourSchema = z
  .object({
    rps: z.number().nonnegative().describe('requests per second per Ready pod, in simulated time'),
    errorRatio: z.number().min(0).max(1).describe('share of requests answered with code 500'),
    p99Seconds: z.number().positive().describe('99th percentile of the request duration'),
    p50Seconds: z.number().positive().optional().describe('median request duration (default: p99Seconds / 4)'),
    startSeconds: z.number().nonnegative().optional().describe('simulated seconds from scheduling to Ready'),
    crash: z.boolean().optional().describe('the container exits right after it starts and never becomes Ready'),
  })
  .strict();

export type Behaviour = z.infer<typeof behaviourSchema>;

export const builtInDefault: Behaviour = { rps: 10, errorRatio: 0.001, p99Seconds: 0.25 };

export type BehaviourMap = Record<string, Partial<Behaviour>>;

/** What a tag's pre-release word makes of an image the behaviour file does not name; each fails a built-in analysis. */
export const TAG_CONVENTIONS = {
  /** 30% of requests fail and p99 is 1.5 s: success-rate and latency-p99 fail. */
  bad: { errorRatio: 0.3, p99Seconds: 1.5 },
  /** No more errors than the default, but p99 is 2 s: latency-p99 fails. */
  slow: { p99Seconds: 2 },
  /** Never Ready, restartCount keeps growing: the rollout makes no progress. */
  crash: { crash: true },
} as const satisfies Record<string, Partial<Behaviour>>;

function tagConvention(image: string): Partial<Behaviour> | undefined {
  const name = image.split('@')[0]!;
  const colon = name.lastIndexOf(':');
  if (colon <= name.lastIndexOf('/')) return undefined; // no tag (a registry port is not one)
  const tag = name.slice(colon + 1);
  const dash = tag.indexOf('-');
  if (dash < 0) return undefined;
  const words = tag.slice(dash + 1).split(/[.-]/);
  return Object.entries(TAG_CONVENTIONS).find(([word]) => words.includes(word))?.[1];
}

const fileSchema = z.record(z.string(), behaviourSchema.partial());

export function parseBehaviours(text: string, source = 'the behaviour file'): BehaviourMap {
  let data: unknown;
  try {
    data = parse(text);
  } catch (e) {
    throw new Error(`${source} is not valid YAML or JSON: ${(e as Error).message}`);
  }
  if (data === null || data === undefined) return {};
  const result = fileSchema.safeParse(data);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`).join('; ');
    throw new Error(
      `${source} is not a map of image → behaviour (fields rps, errorRatio, p99Seconds, p50Seconds, startSeconds, crash): ${problems}`,
    );
  }
  return result.data;
}

export function loadBehaviours(file: string): BehaviourMap {
  return parseBehaviours(readFileSync(file, 'utf8'), file);
}

function wildcard(pattern: string): RegExp {
  return new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
}

export class Behaviours {
  constructor(
    private readonly map: BehaviourMap = {},
    private readonly defaultStartSeconds = 2,
  ) {}

  /** The behaviour of an image; `probeDelaySeconds` (a readiness probe's initialDelaySeconds) beats the default start delay. */
  forImage(image: string, probeDelaySeconds?: number): Behaviour & { startSeconds: number } {
    const base = { ...builtInDefault, startSeconds: this.defaultStartSeconds, ...this.map.default };
    if (probeDelaySeconds !== undefined) base.startSeconds = probeDelaySeconds;
    const exact = this.map[image];
    const pattern = exact ? undefined : Object.keys(this.map).find((k) => k.includes('*') && wildcard(k).test(image));
    return { ...base, ...(exact ?? (pattern ? this.map[pattern] : tagConvention(image))) } as Behaviour & {
      startSeconds: number;
    };
  }

  /**
   * The behaviour of a pod: its first container's traffic, crashing when any container crashes, Ready once the
   * slowest container has started.
   */
  forPod(spec: PodSpecLike | undefined): Behaviour & { startSeconds: number } {
    const each = (spec?.containers ?? []).map((c) =>
      this.forImage(String(c.image ?? ''), c.readinessProbe?.initialDelaySeconds),
    );
    const first = each[0] ?? this.forImage('');
    return {
      ...first,
      crash: each.some((b) => b.crash),
      startSeconds: Math.max(...each.map((b) => b.startSeconds), 0),
    };
  }
}

/** The parts of a pod spec that decide its behaviour (both client-node's V1PodSpec and plain JSON fit). */
export interface PodSpecLike {
  containers?: { image?: string; readinessProbe?: { initialDelaySeconds?: number } }[];
}
