import type { SyntaxNode } from '@lezer/common';
import { parser } from '@prometheus-io/lezer-promql';

/** Label names per series name (`http_requests_total`, `x_bucket`...), as a Prometheus that scraped the services has them. */
export type SeriesCatalog = Map<string, Set<string>>;

/** A label matcher of a selector, e.g. `phase="ROLLED_BACK"` on flightdeck_deployment_rollout_phase_entered_timestamp_seconds. */
export interface Matcher {
  metric: string;
  label: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

/** What one expression names, and every name or label it uses that the catalog does not have. */
export interface ExpressionReport {
  metrics: string[];
  matchers: Matcher[];
  /** Labels the result carries (for `$labels.x` in annotations); undefined for a scalar. */
  outputLabels: Set<string> | undefined;
  problems: string[];
}

type Value = { kind: 'scalar' } | { kind: 'vector'; labels: Set<string> };

const SCALAR: Value = { kind: 'scalar' };
const COMPARISONS = new Set(['Eql', 'Neq', 'Gtr', 'Lss', 'Gte', 'Lte']);
const OPERATORS = new Set([...COMPARISONS, 'Add', 'Sub', 'Mul', 'Div', 'Mod', 'Pow', 'Atan2', 'And', 'Or', 'Unless']);
const MATCH_OPS: Record<string, Matcher['op']> = { EqlSingle: '=', Neq: '!=', EqlRegex: '=~', NeqRegex: '!~' };
/** Functions whose result is not the labels of their vector argument. */
const SCALAR_FUNCTIONS = new Set([
  'Time',
  'Scalar',
  'Pi',
  'Minute',
  'Hour',
  'Day',
  'DayOfMonth',
  'DayOfWeek',
  'DayOfYear',
  'DaysInMonth',
  'Month',
  'Year',
]);

const children = (n: SyntaxNode): SyntaxNode[] => {
  const out: SyntaxNode[] = [];
  for (let c = n.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
};

/**
 * Reads a PromQL expression with Prometheus' own grammar (lezer-promql) and follows the labels through it: every
 * metric must be in the catalog, every matcher's label on that metric, every `by`/`on`/`group_left` label on the
 * series it groups or joins (a label aggregated away is no longer there). Prometheus adds `job` and `instance`
 * to every scraped series; the catalog has them.
 */
export function analyseExpression(expr: string, catalog: SeriesCatalog): ExpressionReport {
  const tree = parser.parse(expr);
  const text = (n: SyntaxNode) => expr.slice(n.from, n.to);
  const problems: string[] = [];
  const metrics: string[] = [];
  const matchers: Matcher[] = [];
  tree.iterate({
    enter: (n) => {
      if (n.type.isError)
        problems.push(`syntax error at ${n.from}: "${expr.slice(Math.max(0, n.from - 10), n.to + 10)}"`);
    },
  });

  const need = (labels: Iterable<string>, have: Set<string>, where: string) => {
    for (const l of labels)
      if (!have.has(l))
        problems.push(
          `${where}: label "${l}" is not on the series there (they have ${[...have].sort().join(', ') || 'no labels'})`,
        );
  };
  const labelNames = (n: SyntaxNode | undefined) =>
    n
      ? children(n)
          .filter((c) => c.name === 'LabelName')
          .map(text)
      : [];

  const walk = (n: SyntaxNode): Value => {
    switch (n.name) {
      case 'PromQL':
      case 'ParenExpr':
      case 'MatrixSelector':
      case 'SubqueryExpr':
      case 'OffsetExpr':
      case 'StepInvariantExpr':
      case 'UnaryExpr': {
        const inner = children(n).find((c) => c.name !== 'Sub' && c.name !== 'Add');
        return inner ? walk(inner) : SCALAR;
      }
      case 'NumberDurationLiteral':
      case 'NumberLiteral':
      case 'StringLiteral':
        return SCALAR;
      case 'VectorSelector':
        return selector(n);
      case 'FunctionCall':
        return call(n);
      case 'AggregateExpr':
        return aggregate(n);
      case 'BinaryExpr':
        return binary(n);
      default:
        problems.push(
          `the check does not know PromQL node ${n.name} ("${text(n)}"); extend deploy/test/alerts/promql.ts`,
        );
        return SCALAR;
    }
  };

  const selector = (n: SyntaxNode): Value => {
    const id = children(n).find((c) => c.name === 'Identifier');
    const name = id ? text(id) : undefined;
    if (!name) {
      problems.push(`selector "${text(n)}" names no metric`);
      return { kind: 'vector', labels: new Set() };
    }
    metrics.push(name);
    const labels = catalog.get(name);
    if (!labels) problems.push(`metric ${name} is exported by no Flightdeck service`);
    const have = labels ?? new Set<string>();
    for (const m of children(n).find((c) => c.name === 'LabelMatchers')
      ? children(children(n).find((c) => c.name === 'LabelMatchers')!)
      : []) {
      const parts = children(m);
      const label = parts.find((c) => c.name === 'LabelName');
      const op = parts.find((c) => c.name === 'MatchOp');
      const value = parts.find((c) => c.name === 'StringLiteral');
      if (!label || !op || !value) {
        problems.push(`matcher "${text(m)}" of ${name} is not label op "value"`);
        continue;
      }
      const matcher: Matcher = {
        metric: name,
        label: text(label),
        op: MATCH_OPS[op.firstChild!.name]!,
        value: JSON.parse(text(value).replace(/^'|'$/g, '"')) as string,
      };
      matchers.push(matcher);
      if (labels && !have.has(matcher.label))
        problems.push(
          `${name}{${text(m)}}: ${name} has no label "${matcher.label}" (it has ${[...have].sort().join(', ')})`,
        );
    }
    return { kind: 'vector', labels: new Set(have) };
  };

  const call = (n: SyntaxNode): Value => {
    const fn = children(n).find((c) => c.name === 'FunctionIdentifier')!.firstChild!.name;
    const args = children(children(n).find((c) => c.name === 'FunctionCallBody')!).map(walk);
    if (SCALAR_FUNCTIONS.has(fn)) return SCALAR;
    if (fn === 'Vector') return { kind: 'vector', labels: new Set() };
    const vector = args.find((a): a is Extract<Value, { kind: 'vector' }> => a.kind === 'vector');
    return vector ?? SCALAR;
  };

  const aggregate = (n: SyntaxNode): Value => {
    const parts = children(n);
    const op = text(parts.find((c) => c.name === 'AggregateOp')!);
    const args = children(parts.find((c) => c.name === 'FunctionCallBody')!).map(walk);
    const input = args.at(-1);
    const have = input?.kind === 'vector' ? input.labels : new Set<string>();
    const modifier = parts.find((c) => c.name === 'AggregateModifier');
    if (!modifier) return { kind: 'vector', labels: new Set() };
    const how = modifier.firstChild!.name;
    const grouped = labelNames(children(modifier).find((c) => c.name === 'GroupingLabels'));
    need(grouped, have, `${op} ${how.toLowerCase()} (${grouped.join(', ')})`);
    return {
      kind: 'vector',
      labels: how === 'By' ? new Set(grouped) : new Set([...have].filter((l) => !grouped.includes(l))),
    };
  };

  const binary = (n: SyntaxNode): Value => {
    const parts = children(n);
    const opNode = parts.find((c) => OPERATORS.has(c.name))!;
    const operands = parts.filter(
      (c) => c !== opNode && c.name !== 'MatchingModifierClause' && c.name !== 'BoolModifier',
    );
    const [left, right] = [walk(operands[0]!), walk(operands[1]!)];
    if (left.kind === 'scalar') return right;
    if (right.kind === 'scalar') return left;
    const clause = parts.find((c) => c.name === 'MatchingModifierClause');
    const op = opNode.name;
    const where = `"${text(n).replace(/\s+/g, ' ').slice(0, 80)}…"`;
    let on: string[] | undefined;
    let ignoring: string[] = [];
    let group: { side: 'left' | 'right'; labels: string[] } | undefined;
    if (clause) {
      const c = children(clause);
      const first = labelNames(c.find((x) => x.name === 'GroupingLabels'));
      if (c[0]!.name === 'On') on = first;
      else ignoring = first;
      const g = c.findIndex((x) => x.name === 'GroupLeft' || x.name === 'GroupRight');
      if (g >= 0) group = { side: c[g]!.name === 'GroupLeft' ? 'left' : 'right', labels: labelNames(c[g + 1]) };
      if (on) {
        need(on, left.labels, `on (${on.join(', ')}), left of ${where}`);
        need(on, right.labels, `on (${on.join(', ')}), right of ${where}`);
      }
      if (group)
        need(
          group.labels,
          group.side === 'left' ? right.labels : left.labels,
          `group_${group.side} (${group.labels.join(', ')}) in ${where}`,
        );
    }
    if (op === 'And' || op === 'Unless') return left;
    if (op === 'Or') return { kind: 'vector', labels: new Set([...left.labels, ...right.labels]) };
    if (group) {
      const many = group.side === 'left' ? left : right;
      return { kind: 'vector', labels: new Set([...many.labels, ...group.labels]) };
    }
    if (COMPARISONS.has(op) && !parts.some((c) => c.name === 'BoolModifier')) return left;
    if (on) return { kind: 'vector', labels: new Set(on) };
    return { kind: 'vector', labels: new Set([...left.labels].filter((l) => !ignoring.includes(l))) };
  };

  const result = walk(tree.topNode);
  return { metrics, matchers, outputLabels: result.kind === 'vector' ? result.labels : undefined, problems };
}

/** The metric name and label names of a series in promtool's `input_series` notation, read with the same grammar. */
export function analyseSeries(series: string, catalog: SeriesCatalog): { metric: string; problems: string[] } {
  const report = analyseExpression(series, catalog);
  const problems = [...report.problems];
  if (report.metrics.length !== 1) problems.push(`"${series}" is not one series selector`);
  for (const m of report.matchers)
    if (m.op !== '=') problems.push(`"${series}": input series take label="value", not ${m.op}`);
  return { metric: report.metrics[0] ?? '', problems };
}
