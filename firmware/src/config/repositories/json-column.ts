import type { z } from 'zod';
import { ConfigStoreError } from '../errors.ts';

/**
 * Reads a JSON options column through the site schema, so stored rows get the defaults of options added after
 * they were written, and a hand-edited row is reported instead of crashing a service later.
 */
export function readJson<S extends z.ZodType>(schema: S, text: string, where: string): z.output<S> {
  const parsed = schema.safeParse(JSON.parse(text));
  if (!parsed.success) {
    throw new ConfigStoreError(`stored ${where} is invalid (${parsed.error.issues[0]?.message}): re-apply the site file to repair it`);
  }
  return parsed.data;
}
