export interface RegisterContact {
  uri: string;
  expiresS: number;
}

export type ParsedContacts = { ok: true; wildcard: true } | { ok: true; wildcard: false; contacts: RegisterContact[] } | { ok: false; reason: string };

/** Splits a header value on commas outside quotes and angle brackets. */
function splitList(value: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let cur = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string;
    if (c === '"' && value[i - 1] !== '\\') quoted = !quoted;
    else if (!quoted && c === '<') depth++;
    else if (!quoted && c === '>') depth--;
    if (c === ',' && !quoted && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  if (cur.trim()) out.push(cur);
  return out.map((s) => s.trim()).filter(Boolean);
}

/**
 * The contacts of a REGISTER with their requested lifetimes: a contact's `expires` parameter wins over the
 * Expires header, which wins over the default. `*` (with Expires: 0) removes every binding.
 */
export function parseRegisterContacts(contact: string | undefined, expiresHeader: string | undefined, defaultS: number): ParsedContacts {
  const headerExpires = expiresHeader === undefined ? undefined : Number.parseInt(expiresHeader, 10);
  if (headerExpires !== undefined && (!Number.isFinite(headerExpires) || headerExpires < 0)) return { ok: false, reason: 'Bad Expires' };
  if (contact === undefined || contact.trim() === '') return { ok: true, wildcard: false, contacts: [] };
  if (contact.trim() === '*') {
    if (headerExpires !== 0) return { ok: false, reason: 'Contact * needs Expires: 0' };
    return { ok: true, wildcard: true };
  }
  const contacts: RegisterContact[] = [];
  for (const part of splitList(contact)) {
    const angle = /<([^>]+)>(.*)$/.exec(part);
    const uri = angle ? (angle[1] as string) : (part.split(';')[0] as string).trim();
    const params = angle ? (angle[2] as string) : part.slice(uri.length);
    if (!/^sips?:/i.test(uri)) return { ok: false, reason: 'Bad Contact' };
    const exp = /;\s*expires\s*=\s*(\d+)/i.exec(params);
    contacts.push({ uri, expiresS: exp ? Number(exp[1]) : (headerExpires ?? defaultS) });
  }
  return { ok: true, wildcard: false, contacts };
}
