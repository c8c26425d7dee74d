import type { z } from 'zod';
import { ConfigStoreError } from '../errors.ts';

/**
 * Reads a JSON options column through the site schema, so stored rows get the defaults of options added after
 * they were written, and a hand-edited row is reported instead of crashing a service later.
 */
export function readJson<S extends z.ZodType>(schema: S, text: string, where: string): z.output<S> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ConfigStoreError(`stored ${where} is not JSON (${(err as Error).message}): re-apply the site file to repair it`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigStoreError(`stored ${where} is invalid (${issue?.path.join('.')}: ${issue?.message}): re-apply the site file to repair it`);
  }
  return parsed.data;
}
