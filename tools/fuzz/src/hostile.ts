import fc from 'fast-check';

export type Format = 'junit' | 'cobertura' | 'lcov' | 'sarif' | 'benchmark' | 'sbom' | 'artifact';

type Family = 'xml' | 'lines' | 'json';
export const familyOf: Record<Format, Family> = {
  junit: 'xml',
  cobertura: 'xml',
  lcov: 'lines',
  sarif: 'json',
  benchmark: 'json',
  sbom: 'json',
  artifact: 'json',
};

/** Fragments that break each family in interesting ways when spliced into a valid report. */
const tokens: Record<Family, string[]> = {
  xml: [
    '<',
    '</',
    '>',
    '/>',
    '&',
    '&#0;',
    '&#xFFFF;',
    '&#x1F600;',
    '&unknown;',
    ']]>',
    '<![CDATA[',
    '"',
    "'",
    '=',
    '<?xml version="1.0"?>',
    '<!DOCTYPE x [<!ENTITY a "b">]>',
    '<!DOCTYPE x SYSTEM "http://127.0.0.1:9/x.dtd">',
    '\u0000',
    '\uFFFE',
    '\uD800',
    '<testsuite>',
    '<testcase time="-1"/>',
    '<line number="x" hits="1e999" branch="maybe"/>',
    '<class filename="__proto__">',
  ],
  lines: [
    '\n',
    '\r\n',
    ' ',
    '\t',
    'SF:',
    'DA:',
    'BRDA:',
    'end_of_record',
    'DA:1,-1',
    'DA:1,99999999999999999999',
    'BRDA:1,0,0,-',
    'BRDA:1',
    'LF:1e9',
    'LH:-1',
    'TN:',
    ':',
    ',',
    '\u0000',
    '\uD800',
    'SF:__proto__',
  ],
  json: [
    '{',
    '}',
    '[',
    ']',
    ',',
    ':',
    '"',
    '\\',
    '\\u',
    'null',
    'true',
    '1e999',
    '-0',
    'NaN',
    '"__proto__":{"polluted":1},',
    '"$gt":"",',
    '"constructor":{"prototype":{}},',
    '\u2028',
    '\u0000',
    '\uD800',
    '{"ruleId":5}',
    '[null]',
    '"results":{}',
  ],
};

type Mutation =
  | { op: 'truncate'; at: number }
  | { op: 'delete'; at: number; length: number }
  | { op: 'insert'; at: number; text: string }
  | { op: 'duplicate'; at: number; length: number };

function mutation(family: Family): fc.Arbitrary<Mutation> {
  const at = fc.double({ min: 0, max: 1, noNaN: true });
  return fc.oneof(
    fc.record({ op: fc.constant('truncate' as const), at }),
    fc.record({ op: fc.constant('delete' as const), at, length: fc.integer({ min: 1, max: 40 }) }),
    fc.record({
      op: fc.constant('insert' as const),
      at,
      text: fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(...tokens[family]) },
        { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
      ),
    }),
    fc.record({ op: fc.constant('duplicate' as const), at, length: fc.integer({ min: 1, max: 400 }) }),
  );
}

function apply(text: string, m: Mutation): string {
  const i = Math.floor(m.at * text.length);
  switch (m.op) {
    case 'truncate':
      return text.slice(0, i);
    case 'delete':
      return text.slice(0, i) + text.slice(i + m.length);
    case 'insert':
      return text.slice(0, i) + m.text + text.slice(i);
    case 'duplicate':
      return text.slice(0, i + m.length) + text.slice(i);
  }
}

/** A valid report broken by one to four mutations: truncated, cut, spliced with hostile fragments, parts repeated. */
export function mutated(family: Family, valid: fc.Arbitrary<{ text: string }>): fc.Arbitrary<string> {
  return fc
    .tuple(valid, fc.array(mutation(family), { minLength: 1, maxLength: 4 }))
    .map(([r, ms]) => ms.reduce(apply, r.text));
}

/** Text of no format at all: random characters, lone surrogates and control characters included. */
export const garbage: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  fc.constantFrom('', ' ', '\n', '\uFEFF', '{}', '[]', '<a/>', 'null'),
);

/**
 * Inputs built to exhaust a parser: deep nesting, entity expansion and external entities, endless lines, huge numbers
 * and values, many elements. `scale` multiplies their sizes (1 in the tests: up to a few hundred KB).
 */
export function bombs(format: Format, scale = 1): fc.Arbitrary<string> {
  const n = (min: number, max: number) => fc.integer({ min: Math.round(min * scale), max: Math.round(max * scale) });
  switch (familyOf[format]) {
    case 'xml': {
      const root = format === 'junit' ? 'testsuite' : 'coverage';
      return fc.oneof(
        n(200, 5000).map((d) => `<${root}>${'<a>'.repeat(d)}${'</a>'.repeat(d)}</${root}>`),
        n(200, 5000).map((d) => `${`<${root}>`.repeat(d)}${`</${root}>`.repeat(d)}`),
        fc.constant(
          `<?xml version="1.0"?>\n<!DOCTYPE r [\n${Array.from(
            { length: 10 },
            (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`,
          )
            .join('\n')
            .replace('&l0;'.repeat(10), 'lol')}\n]>\n<${root} name="&l10;"/>`,
        ),
        fc.constant(
          `<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<${root}>&x;</${root}>`,
        ),
        fc.constant(
          `<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY % p SYSTEM "http://127.0.0.1:9/evil.dtd"> %p;]>\n<${root}/>`,
        ),
        n(1000, 20000).map((k) => `<${root} ${Array.from({ length: k }, (_, i) => `a${i}="${i}"`).join(' ')}/>`),
        n(10_000, 300_000).map(
          (k) =>
            `<${root}><testcase name="${'x'.repeat(k)}" time="${'9'.repeat(400)}"><failure message="${'m'.repeat(k)}"/></testcase><class filename="f"><lines><line number="1" hits="${'9'.repeat(400)}" branch="${'t'.repeat(k)}"/></lines></class></${root}>`,
        ),
        n(10_000, 300_000).map((k) => `<${'n'.repeat(k)}/>`),
        n(5000, 50_000).map(
          (k) =>
            `<${root}>${format === 'junit' ? '<testcase name="c" time="1e308"/>' : '<class filename="f"><lines><line number="1" hits="1"/></lines></class>'}${'<testcase/>'.repeat(k)}</${root}>`,
        ),
      );
    }
    case 'lines':
      return fc.oneof(
        n(70_000, 300_000).map((k) => `SF:${'p'.repeat(k)}\nend_of_record\n`),
        n(70_000, 300_000).map((k) => `SF:a\nDA:1,1\n${'x'.repeat(k)}`),
        n(100, 5000).map((k) => `SF:a\nDA:${'9'.repeat(k)},1\nBRDA:1,0,0,${'9'.repeat(k)}\nend_of_record\n`),
        n(2000, 30_000).map((k) =>
          Array.from({ length: k }, (_, i) => `SF:f${i % 7}\nDA:${i},${i % 3}\nBRDA:${i},0,0,-\nend_of_record`).join(
            '\n',
          ),
        ),
        n(2000, 30_000).map((k) => `SF:a\n${'BRDA:1,0,0,1\n'.repeat(k)}`),
      );
    case 'json': {
      const shapes: Record<
        string,
        {
          wrap: (inner: string) => string;
          huge: (digits: string) => string;
          many: (k: number) => string;
          proto: string;
          operator: string;
        }
      > = {
        sarif: {
          wrap: (inner) =>
            `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":[{"ruleId":"a","properties":${inner}}]}]}`,
          huge: (d) =>
            `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":[{"ruleIndex":${d},"properties":{"security-severity":"1e${d}"}}]}]}`,
          many: (k) =>
            `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t","rules":[{"id":"a"}]}},"results":[${Array.from({ length: k }, (_, i) => `{"ruleIndex":${i % 3},"ruleId":"a/${i}"}`).join(',')}]}]}`,
          proto: '{"version":"2.1.0","__proto__":{"runs":[]},"runs":[{"__proto__":{"tool":{"driver":{"name":"x"}}}}]}',
          operator: '{"version":"2.1.0","runs":[{"tool":{"driver":{"name":{"$gt":""}}}}]}',
        },
        benchmark: {
          wrap: (inner) => `{"benchmarks":[{"name":"a","value":1,"unit":${inner}}]}`,
          huge: (d) => `{"benchmarks":[{"name":"a","value":1e${d}}]}`,
          many: (k) =>
            `{"benchmarks":[${Array.from({ length: k }, (_, i) => `{"name":"b${i % 50}","value":${i}}`).join(',')}]}`,
          proto: '{"__proto__":{"benchmarks":[{"name":"x","value":1}]}}',
          operator: '{"benchmarks":[{"name":{"$gt":""},"value":1}]}',
        },
        sbom: {
          wrap: (inner) =>
            `{"bomFormat":"CycloneDX","specVersion":"1.5","components":[{"type":"library","name":"a","licenses":[{"expression":${inner}}]}]}`,
          huge: (d) => `{"bomFormat":"CycloneDX","specVersion":"1.${d}","components":[]}`,
          many: (k) =>
            `{"bomFormat":"CycloneDX","specVersion":"1.5","components":[${Array.from({ length: k }, (_, i) => `{"type":"library","name":"c${i}","licenses":[{"expression":"${'('.repeat(i % 50)}MIT${')'.repeat(i % 50)}"}]}`).join(',')}]}`,
          proto:
            '{"bomFormat":"CycloneDX","specVersion":"1.5","__proto__":{"components":[]},"components":[{"__proto__":{"name":"x"},"type":"library"}]}',
          operator: '{"spdxVersion":"SPDX-2.3","SPDXID":"SPDXRef-DOCUMENT","name":{"$gt":""},"packages":[]}',
        },
        artifact: {
          wrap: (inner) =>
            `{"artifact":${inner},"versionTag":"v1","digest":"sha256:${'a'.repeat(64)}","sourceBranch":"main","commit":"abcdef1","cleanBuild":true,"signature":"AAAA"}`,
          huge: (d) =>
            `{"artifact":"a","versionTag":"v1","digest":"sha256:${'a'.repeat(64)}","sourceBranch":"main","commit":"${'a'.repeat(Number(d.length))}","cleanBuild":true,"signature":"${'A'.repeat(d.length * 4)}"}`,
          many: (k) => `{"artifact":"a",${Array.from({ length: k }, (_, i) => `"k${i}":${i}`).join(',')}}`,
          proto: '{"__proto__":{"cleanBuild":true},"artifact":"a"}',
          operator: `{"artifact":{"$gt":""},"versionTag":"v1","digest":"sha256:${'a'.repeat(64)}","sourceBranch":"main","commit":"abcdef1","cleanBuild":true,"signature":"AAAA"}`,
        },
      };
      const { wrap, huge, many, proto, operator } = shapes[format]!;
      return fc.oneof(
        n(500, 50_000).map((d) => wrap(`${'['.repeat(d)}${']'.repeat(d)}`)),
        n(500, 50_000).map((d) => `${'['.repeat(d)}1${']'.repeat(d - 1)}`),
        n(500, 50_000).map((d) => wrap(`${'{"a":'.repeat(d)}1${'}'.repeat(d)}`)),
        n(10_000, 300_000).map((k) => wrap(`"${'s'.repeat(k)}"`)),
        n(100, 5000).map((k) => huge('9'.repeat(k))),
        n(2000, 30_000).map(many),
        fc.constant(proto),
        fc.constant(operator),
      );
    }
  }
}
