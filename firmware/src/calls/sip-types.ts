import type Srf from 'drachtio-srf';

export type SrfRequest = Srf.SrfRequest;
export type SrfResponse = Srf.SrfResponse;
export type Dialog = Srf.Dialog;

/** The user part of a SIP/tel URI or name-addr ("<sip:1001@host>;tag=x" -> "1001"). */
export function uriUser(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const m = /(?:sips?|tel):([^@;>]+)/i.exec(value);
  return m ? decodeURIComponent(m[1] as string) : undefined;
}

/** The display name of a name-addr, unquoted (`"Alice" <sip:1001@x>` -> Alice). */
export function displayName(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const m = /^\s*(?:"((?:[^"\\]|\\.)*)"|([^<"]*?))\s*</.exec(value);
  const name = (m?.[1] ?? m?.[2] ?? '').replace(/\\(.)/g, '$1').trim();
  return name || undefined;
}

/** A tag parameter of a From/To value. */
export function tagOf(value: string | undefined): string | undefined {
  return value ? /;\s*tag=([^;>\s]+)/i.exec(value)?.[1] : undefined;
}

/** Quotes a display name for a From header. */
export function quoteName(name: string): string {
  return `"${name.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}
