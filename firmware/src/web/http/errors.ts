import type { Context, Next } from 'koa';
import type { Logger } from '../../log.ts';

export interface FieldError {
  /** Where in the request body (`members[1].extension`), `(body)` for the whole of it. */
  path: string;
  message: string;
}

/** An error the client can act on: a status, a stable code, a sentence, and for bad input every field at fault. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly errors: FieldError[] | undefined;
  readonly headers: Record<string, string>;

  constructor(status: number, code: string, message: string, errors?: FieldError[], headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.errors = errors;
    this.headers = headers;
  }
}

export const notFound = (what: string) => new ApiError(404, 'not_found', `${what} does not exist`);
export const forbidden = (why = 'your role may not do this') => new ApiError(403, 'forbidden', why);

/**
 * Every API failure becomes JSON `{ error, message, errors? }`. Unexpected errors are logged with their stack and
 * answered without it, so nothing internal leaks to the browser.
 */
export function jsonErrors(log: Logger) {
  return async (ctx: Context, next: Next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined && ctx.path.startsWith('/api/')) {
        throw new ApiError(404, 'not_found', `no API endpoint ${ctx.method} ${ctx.path}`);
      }
    } catch (err) {
      if (err instanceof ApiError) {
        ctx.status = err.status;
        for (const [k, v] of Object.entries(err.headers)) ctx.set(k, v);
        ctx.body = { error: err.code, message: err.message, ...(err.errors === undefined ? {} : { errors: err.errors }) };
        return;
      }
      const status = (err as { status?: number }).status;
      if (typeof status === 'number' && status >= 400 && status < 500) {
        ctx.status = status;
        ctx.body = { error: 'bad_request', message: (err as Error).message };
        return;
      }
      log.error({ err, path: ctx.path, method: ctx.method }, 'API request failed');
      ctx.status = 500;
      ctx.body = { error: 'internal', message: 'the appliance could not complete this request; the log has the details' };
    }
  };
}
