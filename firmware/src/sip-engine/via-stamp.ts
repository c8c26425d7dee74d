import type { SipMessage } from './parser/message.ts';
import type { Source } from './transport/types.ts';

/** RFC 3581 and RFC 3261 section 18.2.1: note where the request really came from in its top Via. */
export function stampVia(req: SipMessage, src: Source): void {
  const v = req.via;
  if (!v) return;
  const wantsRport = v.params.has('rport');
  if (!wantsRport && v.host === src.address) return;
  const i = req.headers.findIndex((h) => h.name === 'via');
  const h = req.headers[i]!;
  const values = splitTop(h.value);
  let first = values[0];
  first = first.replace(/;\s*received=[^;,]*/i, '');
  if (wantsRport) {
    first = first.replace(/;\s*rport(=[^;,]*)?/i, `;rport=${src.port}`);
    v.params.set('rport', String(src.port));
  }
  first += `;received=${src.address}`;
  v.params.set('received', src.address);
  h.value = values[1] === undefined ? first : `${first},${values[1]}`;
}

/** Splits a Via header value into its first value and the rest (untouched). */
function splitTop(value: string): [string, string | undefined] {
  let inQuote = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '"') inQuote = !inQuote;
    else if (c === ',' && !inQuote) return [value.slice(0, i), value.slice(i + 1)];
  }
  return [value, undefined];
}
