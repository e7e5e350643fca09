/** Reports as a CI job writes them, for the demo's pipeline to upload. */

export function junitReport(suite: string, cases: string[], failing: string[] = []): string {
  const body = cases
    .map((c) =>
      failing.includes(c)
        ? `    <testcase classname="${suite}" name="${c}" time="0.21"><failure message="expected 200, got 500">AssertionError: expected 200, got 500</failure></testcase>`
        : `    <testcase classname="${suite}" name="${c}" time="0.05"/>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites tests="${cases.length}" failures="${failing.length}" errors="0">\n  <testsuite name="${suite}" tests="${cases.length}" failures="${failing.length}" errors="0" skipped="0">\n${body}\n  </testsuite>\n</testsuites>\n`;
}

/** An lcov report of `files`, each with `lines` lines of which `hitShare` were run. */
export function lcovReport(files: string[], lines: number, hitShare: number): string {
  return files
    .map((f) => {
      const hit = Math.round(lines * hitShare);
      const da = Array.from({ length: lines }, (_, i) => `DA:${i + 1},${i < hit ? 1 : 0}`).join('\n');
      return `TN:\nSF:${f}\n${da}\nLF:${lines}\nLH:${hit}\nend_of_record`;
    })
    .join('\n');
}

/** A SARIF scan with `errors` findings at level error. */
export function sarifReport(errors: number): string {
  const results = Array.from({ length: errors }, (_, i) => ({
    ruleId: `demo-${i}`,
    level: 'error',
    message: { text: 'SQL built from request input' },
  }));
  return JSON.stringify({
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [{ tool: { driver: { name: 'semgrep', rules: [] } }, results }],
  });
}

export const CHECKOUT_TESTS = [
  'pays by card',
  'pays by invoice',
  'keeps the basket on reload',
  'refuses an expired card',
  'applies a voucher',
  'sends the receipt',
];
