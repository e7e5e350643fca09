import { errors } from './errors.js';
import { isPlainObject, pathGet, type KubeObject } from './types.js';

/** Label selectors in both forms: the query-string syntax (`app=web,tier!=db,env in (a,b),!legacy`) and LabelSelector objects. */

export type Requirement =
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | 'doesnotexist' }
  | { key: string; op: 'gt' | 'lt'; value: number };

export type LabelMatcher = (labels: Record<string, string> | undefined) => boolean;

const keyPattern =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

function checkKey(key: string, selector: string): string {
  if (!keyPattern.test(key))
    throw errors.badRequest(
      `unable to parse requirement: invalid label key "${key}" in selector "${selector}": a label key is a name such as "app" or "example.com/app"`,
    );
  return key;
}

export function parseLabelSelector(text: string | undefined | null): Requirement[] {
  if (!text) return [];
  return splitTopLevel(text).map((part): Requirement => {
    let m = /^!\s*(\S+)$/.exec(part);
    if (m) return { key: checkKey(m[1]!, text), op: 'doesnotexist' };
    m = /^(\S+?)\s+(in|notin)\s+\(([^)]*)\)$/.exec(part);
    if (m)
      return {
        key: checkKey(m[1]!, text),
        op: m[2] as 'in' | 'notin',
        values: m[3]!
          .split(',')
          .map((v) => v.trim())
          .filter(Boolean),
      };
    m = /^([^=!<>\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(part);
    if (m) return { key: checkKey(m[1]!, text), op: m[2] === '!=' ? 'notin' : 'in', values: [m[3]!] };
    m = /^([^=!<>\s]+)\s*([<>])\s*(-?\d+)$/.exec(part);
    if (m) return { key: checkKey(m[1]!, text), op: m[2] === '>' ? 'gt' : 'lt', value: Number(m[3]) };
    if (/^[^=!<>\s()]+$/.test(part)) return { key: checkKey(part, text), op: 'exists' };
    throw errors.badRequest(
      `unable to parse requirement "${part}" in label selector "${text}": use key=value, key!=value, key in (a,b), key notin (a,b), key or !key`,
    );
  });
}

/** Requirements from a LabelSelector object (`matchLabels`, `matchExpressions`). */
export function labelSelectorRequirements(selector: unknown): Requirement[] {
  if (!isPlainObject(selector)) return [];
  const out: Requirement[] = [];
  const matchLabels = selector.matchLabels;
  if (isPlainObject(matchLabels))
    for (const [k, v] of Object.entries(matchLabels)) out.push({ key: k, op: 'in', values: [String(v)] });
  const exprs = selector.matchExpressions;
  if (Array.isArray(exprs)) {
    for (const e of exprs) {
      if (!isPlainObject(e)) continue;
      const key = String(e.key ?? '');
      const op = String(e.operator ?? '').toLowerCase();
      const values = Array.isArray(e.values) ? e.values.map(String) : [];
      if (op === 'in' || op === 'notin') out.push({ key, op, values });
      else if (op === 'exists' || op === 'doesnotexist') out.push({ key, op });
    }
  }
  return out;
}

export function matchesRequirements(reqs: Requirement[], labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  return reqs.every((r) => {
    const has = Object.hasOwn(l, r.key);
    switch (r.op) {
      case 'in':
        return has && r.values.includes(l[r.key]!);
      case 'notin':
        return !has || !r.values.includes(l[r.key]!);
      case 'exists':
        return has;
      case 'doesnotexist':
        return !has;
      case 'gt':
        return has && Number(l[r.key]) > r.value;
      case 'lt':
        return has && Number(l[r.key]) < r.value;
    }
  });
}

/** `app=web,tier in (a,b)`: the text form of a LabelSelector object, as Scale.status.selector and kubectl show it. */
export function selectorToString(selector: unknown): string {
  return labelSelectorRequirements(selector)
    .map((r) => {
      if (r.op === 'in')
        return r.values.length === 1 ? `${r.key}=${r.values[0]}` : `${r.key} in (${r.values.join(',')})`;
      if (r.op === 'notin') return `${r.key} notin (${r.values.join(',')})`;
      if (r.op === 'exists') return r.key;
      if (r.op === 'doesnotexist') return `!${r.key}`;
      return '';
    })
    .join(',');
}

export interface FieldRequirement {
  field: string;
  equals: boolean;
  value: string;
}

/** Field selectors (`metadata.name=web,status.phase!=Running`), limited to the fields each kind supports. */
export function parseFieldSelector(text: string | undefined | null, supported: string[]): FieldRequirement[] {
  if (!text) return [];
  return splitTopLevel(text).map((part) => {
    const m = /^([^=!]+?)\s*(==|=|!=)\s*(.*)$/.exec(part);
    if (!m) throw errors.badRequest(`invalid field selector "${part}": use field=value or field!=value`);
    const field = m[1]!.trim();
    if (!supported.includes(field))
      throw errors.badRequest(`field label not supported: ${field} (supported: ${supported.join(', ')})`);
    return { field, equals: m[2] !== '!=', value: m[3]!.trim() };
  });
}

export function matchesFields(reqs: FieldRequirement[], obj: KubeObject): boolean {
  return reqs.every((r) => {
    const raw = pathGet(obj, r.field);
    const actual = raw === undefined || raw === null ? '' : String(raw);
    return (actual === r.value) === r.equals;
  });
}
