import type { z } from 'zod';
import { formatPath, issuesToErrors, type PathSegment } from '../../config/site-errors.ts';
import { ApiError, type FieldError } from './errors.ts';

/** Field errors in the same words and path notation as `callbox config apply` uses for the site file. */
export function zodFieldErrors(issues: readonly z.core.$ZodIssue[], prefix: readonly PathSegment[] = []): FieldError[] {
  return issuesToErrors(issues, prefix).map((e) => ({ path: e.segments.length === 0 ? '(body)' : formatPath(e.segments), message: e.message }));
}

export function validate<S extends z.ZodType>(schema: S, value: unknown, what = 'request body'): z.output<S> {
  const r = schema.safeParse(value, { reportInput: true });
  if (!r.success) throw new ApiError(400, 'validation', `the ${what} is not valid`, zodFieldErrors(r.error.issues));
  return r.data;
}
