// The console's only way to the box: JSON over fetch with the CSRF header, and Server-Sent Events for live pages.

export interface FieldError {
  path: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly errors: FieldError[];
  constructor(status: number, code: string, message: string, errors: FieldError[] = []) {
    super(message);
    this.status = status;
    this.code = code;
    this.errors = errors;
  }
}

function csrfToken(): string {
  return /(?:^|;\s*)callbox_csrf=([^;]+)/.exec(document.cookie)?.[1] ?? '';
}

/** Called when the session is gone (expired, signed out elsewhere): the app shows the login page. */
let onSignedOut: () => void = () => undefined;
export function setSignedOutHandler(f: () => void): void {
  onSignedOut = f;
}

export async function api<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken();
  // A file (a firmware update) goes as it is; everything else as JSON.
  const raw = body instanceof Blob;
  if (body !== undefined) headers['content-type'] = raw ? 'application/octet-stream' : 'application/json';
  const res = await fetch(`/api/v1${path}`, { method, headers, credentials: 'same-origin', ...(body === undefined ? {} : { body: raw ? body : JSON.stringify(body) }) });
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown = text;
  try {
    data = JSON.parse(text);
  } catch {
    // a download (YAML, text): returned as is
  }
  if (!res.ok) {
    const e = (data ?? {}) as { error?: string; message?: string; errors?: FieldError[] };
    if (res.status === 401 && e.error === 'unauthenticated' && !path.startsWith('/auth/')) onSignedOut();
    throw new ApiError(res.status, e.error ?? 'error', e.message ?? `request failed (${res.status})`, e.errors ?? []);
  }
  return data as T;
}

export const get = <T>(p: string) => api<T>('GET', p);
export const post = <T>(p: string, b: unknown = {}) => api<T>('POST', p, b);
export const put = <T>(p: string, b: unknown) => api<T>('PUT', p, b);
export const del = <T>(p: string) => api<T>('DELETE', p);

/** Subscribes to live topics; returns the function that closes the stream. EventSource reconnects by itself. */
export function subscribe(topics: string[], handler: (topic: string, data: unknown) => void): () => void {
  const es = new EventSource(`/api/v1/live/events?topics=${topics.join(',')}`);
  for (const t of topics) es.addEventListener(t, (ev) => handler(t, JSON.parse((ev as MessageEvent<string>).data)));
  return () => es.close();
}

export interface Me {
  user: { username: string; name?: string; role: 'admin' | 'supervisor' | 'installer' | 'agent' | 'auditor'; extension?: string; queues: string[] };
  stage: 'totp' | 'change-password' | 'totp-setup' | 'ok';
  csrf_token: string;
  totp_enabled: boolean;
}
