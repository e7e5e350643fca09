import type { z } from 'zod';
import { inspectVariable } from './introspect.js';

export interface EnvRow {
  variable: string;
  description: string;
  /** The default as text, or undefined when there is none. */
  default: string | undefined;
  required: boolean;
}

/** One row per variable of the schema, for `--help` output and README tables. */
export function describeEnv(schema: z.ZodObject): EnvRow[] {
  return Object.entries(schema.shape as Record<string, z.ZodType>).map(([variable, s]) => {
    const info = inspectVariable(s);
    return {
      variable,
      description: info.description ?? '',
      default: info.default === undefined ? undefined : String(info.default),
      required: info.required,
    };
  });
}

/** Plain-text table for `--help`. */
export function formatEnvHelp(schema: z.ZodObject): string {
  const rows = describeEnv(schema);
  const width = Math.max(...rows.map((r) => r.variable.length), 8);
  const lines = rows.map((r) => {
    const tail = r.required ? ' (required)' : r.default !== undefined ? ` (default: ${r.default})` : ' (optional)';
    return `  ${r.variable.padEnd(width)}  ${r.description}${tail}`;
  });
  return ['Environment variables:', ...lines].join('\n');
}

/** Markdown table for README files. */
export function envMarkdownTable(schema: z.ZodObject): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const rows = describeEnv(schema).map(
    (r) =>
      `| \`${r.variable}\` | ${esc(r.description)} | ${r.default !== undefined ? `\`${esc(r.default)}\`` : ''} | ${r.required ? 'yes' : 'no'} |`,
  );
  return ['| variable | description | default | required |', '| --- | --- | --- | --- |', ...rows].join('\n');
}
