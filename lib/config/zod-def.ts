/**
 * Reading a zod 4 schema's definition: the loader walks it to list the keys allowed where the user
 * wrote an unknown one (load.ts), and the JSON Schema writer to attach each key's description
 * (json-schema.ts).
 */
import type { z } from 'zod';

/** The parts of a zod definition the walkers read. */
export interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
  discriminator?: string;
  in?: z.ZodType;
  values?: unknown[];
}

export function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { def: Def }).def;
}

/** Unwraps defaults, optionals and pipes. */
export function unwrap(schema: z.ZodType): z.ZodType {
  const def = defOf(schema);
  if ((def.type === 'default' || def.type === 'optional' || def.type === 'nullable') && def.innerType) {
    return unwrap(def.innerType);
  }
  if (def.type === 'pipe' && def.in) return unwrap(def.in);
  return schema;
}
