import dgram from 'node:dgram';

type Ctx = { after(fn: () => Promise<void> | void): void };

export type DnsRecord =
  | { type: 'A'; address: string }
  | { type: 'SRV'; priority: number; weight: number; port: number; target: string }
  | { type: 'NAPTR'; order: number; preference: number; flags: string; service: string; regexp: string; replacement: string };

const TYPES = { A: 1, SRV: 33, NAPTR: 35 } as const;

function name(n: string): Buffer {
  const parts = n.split('.').filter(Boolean).map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)]));
  return Buffer.concat([...parts, Buffer.from([0])]);
}
const u16 = (v: number) => Buffer.from([v >> 8, v & 0xff]);
const text = (s: string) => Buffer.concat([Buffer.from([s.length]), Buffer.from(s)]);

function rdata(r: DnsRecord): Buffer {
  if (r.type === 'A') return Buffer.from(r.address.split('.').map(Number));
  if (r.type === 'SRV') return Buffer.concat([u16(r.priority), u16(r.weight), u16(r.port), name(r.target)]);
  return Buffer.concat([u16(r.order), u16(r.preference), text(r.flags), text(r.service), text(r.regexp), name(r.replacement)]);
}

/**
 * A tiny authoritative DNS server on 127.0.0.1 for tests: answers A, SRV and NAPTR questions from a fixed table
 * (NXDOMAIN for names it does not know). Records every question it got.
 */
export async function dnsServer(t: Ctx, zone: Record<string, DnsRecord[]>): Promise<{ port: number; questions: string[] }> {
  const sock = dgram.createSocket('udp4');
  const questions: string[] = [];
  sock.on('message', (q, rinfo) => {
    let i = 12;
    const labels: string[] = [];
    while (q[i]! > 0) {
      labels.push(q.subarray(i + 1, i + 1 + q[i]!).toString());
      i += q[i]! + 1;
    }
    const qtype = q.readUInt16BE(i + 1);
    const question = q.subarray(12, i + 5);
    const qname = labels.join('.').toLowerCase();
    const type = (Object.keys(TYPES) as (keyof typeof TYPES)[]).find((k) => TYPES[k] === qtype);
    questions.push(`${type ?? qtype} ${qname}`);
    const known = zone[qname];
    const answers = (known ?? []).filter((r) => r.type === type);
    const header = Buffer.concat([q.subarray(0, 2), u16(0x8400 | (known ? 0 : 3)), u16(1), u16(answers.length), u16(0), u16(0)]);
    const body = answers.map((r) => {
      const d = rdata(r);
      return Buffer.concat([u16(0xc00c), u16(TYPES[r.type]), u16(1), Buffer.from([0, 0, 0, 60]), u16(d.length), d]);
    });
    sock.send(Buffer.concat([header, question, ...body]), rinfo.port, rinfo.address);
  });
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  t.after(() => void sock.close());
  return { port: sock.address().port, questions };
}
