/** One bad or missing environment variable. */
export interface ConfigIssue {
  variable: string;
  /** What is wrong, e.g. "missing" or "invalid value 'abc': expected number". */
  problem: string;
  /** What would be right: the variable's description. */
  expected: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly issues: ConfigIssue[],
    readonly service?: string,
  ) {
    super(formatIssues(issues, service));
  }
}

export function formatIssues(issues: ConfigIssue[], service?: string): string {
  const who = service ? `${service}: ` : '';
  const head = `${who}invalid configuration, ${issues.length} environment variable${issues.length === 1 ? '' : 's'} to fix:`;
  const lines = issues.map((i) => `  ${i.variable}: ${i.problem}\n      expected: ${i.expected}`);
  return [head, ...lines].join('\n');
}
