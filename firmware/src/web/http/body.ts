import { createWriteStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import type { Context } from 'koa';
import { ApiError } from './errors.ts';

/**
 * Reads a JSON request body up to `limit` bytes. Only `application/json` is accepted: a cross-site HTML form
 * cannot send that type without a CORS preflight, which is part of the CSRF defence for the login request.
 */
export async function readJsonBody(ctx: Context, limit = 1024 * 1024): Promise<unknown> {
  const type = ctx.get('content-type');
  if (!/^application\/json\b/i.test(type)) {
    throw new ApiError(415, 'unsupported_media_type', 'send the request body as JSON with Content-Type: application/json');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new ApiError(413, 'too_large', `the request body is larger than ${Math.round(limit / 1024)} KiB`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new ApiError(400, 'invalid_json', `the body is not valid JSON: ${(err as Error).message}`);
  }
}

/**
 * Streams an `application/octet-stream` body into `file` (never held in memory: an update bundle is large), up to
 * `limit` bytes. On any failure the partial file is removed.
 */
export async function saveBinaryBody(ctx: Context, file: string, limit: number): Promise<number> {
  if (!/^application\/octet-stream\b/i.test(ctx.get('content-type'))) {
    throw new ApiError(415, 'unsupported_media_type', 'send the file as the request body with Content-Type: application/octet-stream');
  }
  const out = createWriteStream(file, { flags: 'wx', mode: 0o600 });
  let size = 0;
  try {
    for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) throw new ApiError(413, 'too_large', `the file is larger than ${Math.round(limit / 1024 / 1024)} MiB`);
      if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
    }
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    return size;
  } catch (err) {
    out.destroy();
    await unlink(file).catch(() => undefined);
    throw err;
  }
}
