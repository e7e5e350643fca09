import { cause, type StatusCause } from '../api/errors.js';
import { isPlainObject } from '../api/types.js';
import type { KindDefinition } from './kind.js';
import { checkMetadata } from './validation.js';

// Stored and shape-checked only: the simulator authorises nothing, so these grant and deny nothing.

const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const strings = (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === 'string');

function checkRules(rules: unknown): StatusCause[] {
  if (rules !== undefined && !Array.isArray(rules))
    return [cause.invalid('rules', rules, 'must be a list of policy rules')];
  const out: StatusCause[] = [];
  arr(rules).forEach((r, i) => {
    const rule = isPlainObject(r) ? r : {};
    if (!strings(rule.verbs) || arr(rule.verbs).length === 0)
      out.push(cause.required(`rules[${i}].verbs`, 'Required value: verbs must contain at least one value'));
    for (const f of ['apiGroups', 'resources', 'resourceNames', 'nonResourceURLs'])
      if (rule[f] !== undefined && !strings(rule[f]))
        out.push(cause.invalid(`rules[${i}].${f}`, rule[f], 'must be a list of strings'));
    if (rule.resources !== undefined && rule.apiGroups === undefined)
      out.push(
        cause.required(`rules[${i}].apiGroups`, 'Required value: resource rules must supply at least one api group'),
      );
  });
  return out;
}

export const roles: KindDefinition = {
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  kind: 'Role',
  plural: 'roles',
  singular: 'role',
  namespaced: true,
  nameForm: 'subdomain',
  statusSubresource: false,
  scaleSubresource: false,
  validate: (o) => [...checkMetadata(o, 'subdomain'), ...checkRules(o.rules)],
};

export const rolebindings: KindDefinition = {
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  kind: 'RoleBinding',
  plural: 'rolebindings',
  singular: 'rolebinding',
  namespaced: true,
  nameForm: 'subdomain',
  statusSubresource: false,
  scaleSubresource: false,
  validate(o, old) {
    const out = checkMetadata(o, 'subdomain');
    const ref = isPlainObject(o.roleRef) ? o.roleRef : undefined;
    if (!ref) out.push(cause.required('roleRef'));
    else {
      if (ref.apiGroup !== 'rbac.authorization.k8s.io')
        out.push(cause.notSupported('roleRef.apiGroup', ref.apiGroup, ['rbac.authorization.k8s.io']));
      if (ref.kind !== 'Role' && ref.kind !== 'ClusterRole')
        out.push(cause.notSupported('roleRef.kind', ref.kind, ['Role', 'ClusterRole']));
      if (typeof ref.name !== 'string' || ref.name === '') out.push(cause.required('roleRef.name'));
    }
    arr(o.subjects).forEach((s, i) => {
      const subject = isPlainObject(s) ? s : {};
      if (!['ServiceAccount', 'User', 'Group'].includes(String(subject.kind)))
        out.push(cause.notSupported(`subjects[${i}].kind`, subject.kind, ['ServiceAccount', 'User', 'Group']));
      if (typeof subject.name !== 'string' || subject.name === '') out.push(cause.required(`subjects[${i}].name`));
    });
    if (old && JSON.stringify(old.roleRef) !== JSON.stringify(o.roleRef))
      out.push(cause.invalid('roleRef', o.roleRef, 'cannot change roleRef'));
    return out;
  },
};
