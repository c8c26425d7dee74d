/**
 * Reads who an SNMP message claims to be from (version, community or USM user name) without decoding it fully.
 * net-snmp's agent has no per-community source filter and does not report every authentication failure to its
 * callback, so the agent looks at each datagram first. Malformed input yields null: net-snmp then rejects it.
 */

export type PeekedMessage = { version: 0 | 1; community: string } | { version: 3; userName: string };

class Reader {
  pos = 0;
  readonly buf: Buffer;
  constructor(buf: Buffer) {
    this.buf = buf;
  }

  /** Returns the tag and the content's [start, end); advances past the header only. */
  header(): { tag: number; start: number; end: number } {
    const tag = this.byte();
    let len = this.byte();
    if (len & 0x80) {
      const n = len & 0x7f;
      if (n === 0 || n > 4) throw new Error('bad length');
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + this.byte();
    }
    const start = this.pos;
    const end = start + len;
    if (end > this.buf.length) throw new Error('truncated');
    return { tag, start, end };
  }

  expect(tag: number): { start: number; end: number } {
    const h = this.header();
    if (h.tag !== tag) throw new Error(`expected tag ${tag}, got ${h.tag}`);
    return h;
  }

  integer(): number {
    const { start, end } = this.expect(0x02);
    let v = 0;
    for (let i = start; i < end; i++) v = v * 256 + (this.buf[i] as number);
    this.pos = end;
    return v;
  }

  octets(): Buffer {
    const { start, end } = this.expect(0x04);
    this.pos = end;
    return this.buf.subarray(start, end);
  }

  skip(): void {
    this.pos = this.header().end;
  }

  byte(): number {
    const b = this.buf[this.pos++];
    if (b === undefined) throw new Error('truncated');
    return b;
  }
}

export function peekMessage(buf: Buffer): PeekedMessage | null {
  try {
    const r = new Reader(buf);
    r.expect(0x30);
    const version = r.integer();
    if (version === 0 || version === 1) return { version, community: r.octets().toString('latin1') };
    if (version !== 3) return null;
    r.skip(); // msgGlobalData
    const sec = new Reader(r.octets());
    sec.expect(0x30);
    sec.octets(); // msgAuthoritativeEngineID
    sec.integer(); // msgAuthoritativeEngineBoots
    sec.integer(); // msgAuthoritativeEngineTime
    return { version: 3, userName: sec.octets().toString('utf8') };
  } catch {
    return null;
  }
}

/** Whether an IPv4/IPv6 address (as Node reports rinfo.address) lies in a CIDR network. */
export function inNetwork(address: string, cidr: string): boolean {
  const [net, bitsText] = cidr.split('/');
  const a = toBytes(address.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1'));
  const n = toBytes(net ?? '');
  if (!a || !n || a.length !== n.length) return false;
  const bits = bitsText === undefined ? a.length * 8 : Number(bitsText);
  for (let i = 0; i < a.length; i++) {
    const take = Math.max(0, Math.min(8, bits - i * 8));
    const mask = take === 0 ? 0 : (0xff << (8 - take)) & 0xff;
    if (((a[i] as number) & mask) !== ((n[i] as number) & mask)) return false;
  }
  return true;
}

function toBytes(ip: string): number[] | null {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(ip)) {
    const parts = ip.split('.').map(Number);
    return parts.every((p) => p >= 0 && p <= 255) ? parts : null;
  }
  if (!ip.includes(':')) return null;
  const [head, tail, ...more] = ip.split('::');
  if (more.length > 0) return null;
  const groups = (s: string | undefined) => (s ? s.split(':') : []);
  const h = groups(head);
  const t = groups(tail);
  const missing = 8 - h.length - t.length;
  if (missing < 0 || (tail === undefined && missing !== 0)) return null;
  const all = [...h, ...Array<string>(missing).fill('0'), ...t];
  const bytes: number[] = [];
  for (const g of all) {
    if (!/^[0-9a-f]{1,4}$/i.test(g)) return null;
    const v = parseInt(g, 16);
    bytes.push(v >> 8, v & 0xff);
  }
  return bytes;
}
