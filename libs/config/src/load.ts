import { z } from 'zod';
import { ConfigError, formatIssues, type ConfigIssue } from './errors.js';
import { inspectVariable } from './introspect.js';
import { crossRuleIssues } from './rules.js';

const SECRET_NAME = /SECRET|PASSWORD|TOKEN|PRIVATE|API_KEY/i;

/** Empty strings count as unset: `FOO= npm start` should fall back to the default, not fail as "invalid". */
function readEnv(shape: Record<string, z.ZodType>, env: NodeJS.ProcessEnv): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const name of Object.keys(shape)) {
    const raw = env[name];
    out[name] = raw === undefined || raw.trim() === '' ? undefined : raw;
  }
  return out;
}

function shown(variable: string, value: string): string {
  if (SECRET_NAME.test(variable)) return '(hidden)';
  const v = value.length > 80 ? `${value.slice(0, 77)}...` : value;
  // Credentials inside a URL (mongodb://user:pass@host) are never printed.
  return `'${v.replace(/\/\/([^/@:]+):([^/@]+)@/, '//$1:***@')}'`;
}

function toIssue(
  shape: Record<string, z.ZodType>,
  raw: Record<string, string | undefined>,
  issue: z.core.$ZodIssue,
): ConfigIssue {
  const variable = String(issue.path[0] ?? '(configuration)');
  const schema = shape[variable];
  const info = schema ? inspectVariable(schema) : { description: undefined };
  const value = raw[variable];
  const problem =
    value === undefined
      ? 'missing (required, no default)'
      : `invalid value ${shown(variable, value)}: ${issue.message}`;
  return { variable, problem, expected: info.description ?? issue.message };
}

/**
 * Parses the environment against a zod object schema. Throws ConfigError listing every bad or missing
 * variable at once (not just the first), each with what it expects.
 */
export function loadConfig<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv = process.env): z.output<S> {
  const shape = schema.shape as Record<string, z.ZodType>;
  const raw = readEnv(shape, env);
  const result = schema.safeParse(raw);
  const issues: ConfigIssue[] = [];
  const seen = new Set<string>();
  if (!result.success) {
    for (const i of result.error.issues) {
      const issue = toIssue(shape, raw, i);
      // One line per variable: a value can fail several checks, the first says enough.
      if (seen.has(issue.variable)) continue;
      seen.add(issue.variable);
      issues.push(issue);
    }
  }
  const values = result.success ? (result.data as Record<string, unknown>) : raw;
  for (const issue of crossRuleIssues(shape, values)) {
    if (!seen.has(issue.variable)) issues.push(issue);
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return result.data as z.output<S>;
}

/** loadConfig for a service's main: on bad configuration, prints every problem to stderr and exits 1. */
export function loadConfigOrExit<S extends z.ZodObject>(
  schema: S,
  opts: { service: string; env?: NodeJS.ProcessEnv },
): z.output<S> {
  try {
    return loadConfig(schema, opts.env ?? process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${formatIssues(err.issues, opts.service)}\n`);
    process.stderr.write(`(run with --help for every variable ${opts.service} reads)\n`);
    process.exit(1);
  }
}
