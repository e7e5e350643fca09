import { cause, type StatusCause } from '../api/errors.js';
import { labelSelectorRequirements, matchesRequirements } from '../api/selectors.js';
import { isPlainObject, type KubeObject } from '../api/types.js';

/** Shared field checks, with the messages Kubernetes gives. */

const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const labelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const qualifiedName =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

export function checkName(name: unknown, field: string, form: 'label' | 'subdomain'): StatusCause[] {
  if (typeof name !== 'string' || name === '')
    return [cause.required(field, 'Required value: name or generateName is required')];
  if (form === 'label' && (name.length > 63 || !dns1123Label.test(name)))
    return [
      cause.invalid(
        field,
        name,
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', start and end with an alphanumeric character, and be at most 63 characters (e.g. 'my-name')",
      ),
    ];
  if (form === 'subdomain' && (name.length > 253 || !dns1123Subdomain.test(name)))
    return [
      cause.invalid(
        field,
        name,
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com')",
      ),
    ];
  return [];
}

export function checkLabels(labels: unknown, field: string): StatusCause[] {
  if (labels === undefined) return [];
  if (!isPlainObject(labels)) return [cause.invalid(field, labels, 'must be a map of string keys to string values')];
  const out: StatusCause[] = [];
  for (const [k, v] of Object.entries(labels)) {
    if (!qualifiedName.test(k) || k.length > 316)
      out.push(cause.invalid(field, k, "a label key must be a name such as 'app' or 'example.com/app'"));
    if (typeof v !== 'string') out.push(cause.invalid(`${field}.${k}`, v, 'a label value must be a string'));
    else if (v.length > 63 || !labelValue.test(v))
      out.push(
        cause.invalid(
          `${field}.${k}`,
          v,
          "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (at most 63 characters)",
        ),
      );
  }
  return out;
}

export function checkAnnotations(annotations: unknown, field: string): StatusCause[] {
  if (annotations === undefined) return [];
  if (!isPlainObject(annotations))
    return [cause.invalid(field, annotations, 'must be a map of string keys to string values')];
  return Object.entries(annotations)
    .filter(([k, v]) => !qualifiedName.test(k) || typeof v !== 'string')
    .map(([k, v]) =>
      cause.invalid(`${field}.${k}`, v, 'annotation keys are names such as "example.com/note" and values are strings'),
    );
}

export function checkMetadata(obj: KubeObject, form: 'label' | 'subdomain'): StatusCause[] {
  return [
    ...checkName(obj.metadata.name, 'metadata.name', form),
    ...checkLabels(obj.metadata.labels, 'metadata.labels'),
    ...checkAnnotations(obj.metadata.annotations, 'metadata.annotations'),
  ];
}

export function checkNonNegativeInt(value: unknown, field: string): StatusCause[] {
  if (value === undefined) return [];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
    return [cause.invalid(field, value, 'must be greater than or equal to 0')];
  return [];
}

function checkContainers(list: unknown, field: string, required: boolean): StatusCause[] {
  if (list === undefined) return required ? [cause.required(field)] : [];
  if (!Array.isArray(list)) return [cause.invalid(field, list, 'must be a list of containers')];
  if (required && list.length === 0) return [cause.required(field)];
  const out: StatusCause[] = [];
  const names = new Set<string>();
  list.forEach((c, i) => {
    const f = `${field}[${i}]`;
    if (!isPlainObject(c)) {
      out.push(cause.invalid(f, c, 'must be a container object with name and image'));
      return;
    }
    out.push(
      ...checkName(c.name, `${f}.name`, 'label').map((x) =>
        x.reason === 'FieldValueRequired' ? cause.required(`${f}.name`) : x,
      ),
    );
    if (typeof c.name === 'string') {
      if (names.has(c.name)) out.push(cause.duplicate(`${f}.name`, c.name));
      names.add(c.name);
    }
    if (typeof c.image !== 'string' || c.image.trim() === '') out.push(cause.required(`${f}.image`));
    if (c.ports !== undefined) {
      if (!Array.isArray(c.ports)) out.push(cause.invalid(`${f}.ports`, c.ports, 'must be a list'));
      else
        c.ports.forEach((p, j) => {
          const port = isPlainObject(p) ? p.containerPort : undefined;
          if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535)
            out.push(cause.invalid(`${f}.ports[${j}].containerPort`, port, 'must be between 1 and 65535, inclusive'));
        });
    }
    if (c.env !== undefined) {
      if (!Array.isArray(c.env)) out.push(cause.invalid(`${f}.env`, c.env, 'must be a list'));
      else
        c.env.forEach(
          (e, j) =>
            (!isPlainObject(e) || typeof e.name !== 'string' || e.name === '') &&
            out.push(cause.required(`${f}.env[${j}].name`)),
        );
    }
  });
  return out;
}

export function checkPodSpec(spec: unknown, field: string): StatusCause[] {
  if (!isPlainObject(spec)) return [cause.required(field)];
  const out = [
    ...checkContainers(spec.containers, `${field}.containers`, true),
    ...checkContainers(spec.initContainers, `${field}.initContainers`, false),
  ];
  const policy = spec.restartPolicy;
  if (policy !== undefined && !['Always', 'OnFailure', 'Never'].includes(String(policy)))
    out.push(cause.notSupported(`${field}.restartPolicy`, policy, ['Always', 'OnFailure', 'Never']));
  return out;
}

/** A controller's spec.selector must be non-empty and select its own pod template's labels. */
export function checkSelectorAndTemplate(
  spec: Record<string, unknown>,
  field: string,
  requireAlways: boolean,
): StatusCause[] {
  const out: StatusCause[] = [];
  const selector = spec.selector;
  const template = spec.template;
  if (!isPlainObject(selector)) {
    out.push(cause.required(`${field}.selector`));
  } else if (labelSelectorRequirements(selector).length === 0) {
    out.push(cause.invalid(`${field}.selector`, selector, 'empty selector is invalid for deployment'));
  }
  if (!isPlainObject(template)) {
    out.push(cause.required(`${field}.template`));
    return out;
  }
  const meta = isPlainObject(template.metadata) ? template.metadata : {};
  out.push(...checkLabels(meta.labels, `${field}.template.metadata.labels`));
  if (isPlainObject(selector) && out.length === 0) {
    const labels = isPlainObject(meta.labels) ? (meta.labels as Record<string, string>) : {};
    if (!matchesRequirements(labelSelectorRequirements(selector), labels))
      out.push(
        cause.invalid(`${field}.template.metadata.labels`, labels, '`selector` does not match template `labels`'),
      );
  }
  out.push(...checkPodSpec(template.spec, `${field}.template.spec`));
  if (
    requireAlways &&
    isPlainObject(template.spec) &&
    template.spec.restartPolicy !== undefined &&
    template.spec.restartPolicy !== 'Always'
  )
    out.push(cause.notSupported(`${field}.template.spec.restartPolicy`, template.spec.restartPolicy, ['Always']));
  return out;
}

/** An int-or-percent such as 1 or "25%", resolved against a total the way intstr.GetScaledValueFromIntOrPercent does. */
export function scaledValue(value: unknown, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^\d+%$/.test(value)) {
    const v = (Number(value.slice(0, -1)) * total) / 100;
    return roundUp ? Math.ceil(v) : Math.floor(v);
  }
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return 0;
}

export function checkIntOrPercent(value: unknown, field: string): StatusCause[] {
  if (value === undefined) return [];
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return [];
  if (typeof value === 'string' && /^\d+%$/.test(value))
    return Number(value.slice(0, -1)) > 100 ? [cause.invalid(field, value, 'must not be greater than 100%')] : [];
  return [cause.invalid(field, value, 'must be a non-negative integer or a percentage such as "25%"')];
}
