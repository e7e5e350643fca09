import { z } from 'zod';

interface WrapperDef {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  defaultValue?: unknown;
}

/** Unwraps optional/default/nullable/pipe wrappers to find description, default and whether a value is required. */
export function inspectVariable(schema: z.ZodType): { description?: string; default?: unknown; required: boolean } {
  let description: string | undefined;
  let defaultValue: unknown;
  let hasDefault = false;
  let optional = false;
  let current: z.ZodType | undefined = schema;
  for (let depth = 0; current && depth < 10; depth++) {
    description ??= current.description;
    const def: WrapperDef = (current as unknown as { def: WrapperDef }).def;
    if (def.type === 'default' || def.type === 'prefault') {
      hasDefault = true;
      defaultValue = def.defaultValue;
    }
    if (def.type === 'optional') optional = true;
    current = def.innerType ?? (def.type === 'pipe' ? def.in : undefined);
  }
  return { description, default: hasDefault ? defaultValue : undefined, required: !hasDefault && !optional };
}
