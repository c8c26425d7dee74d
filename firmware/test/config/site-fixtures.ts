import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';

export const exampleSitePath = new URL('../../examples/site.yaml', import.meta.url);
export const exampleSiteText = (): string => readFileSync(exampleSitePath, 'utf8');

/** The example site as a plain object, to mutate into a bad (or different) one. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests poke at arbitrary places of the document
export type Doc = any;
export const exampleSite = (): Doc => parse(exampleSiteText()) as Doc;
export const toYaml = (doc: Doc): string => stringify(doc);

/**
 * A large valid site: `extensions` agents in `queues` queues. `tag` goes into every name, so two sites with
 * different tags differ in every row (a half-applied mix of the two is detectable).
 */
export function bigSite(tag: string, extensions: number, queues: number): string {
  const ext = Array.from({ length: extensions }, (_, i) => ({
    number: String(3000 + i),
    name: `${tag} agent ${i}`,
    password: `pw-${tag}-${i}-xxxxxxxx`,
    agent: { skills: { [`skill${i % 7}`]: (i % 5) + 1 } },
  }));
  const q = Array.from({ length: queues }, (_, i) => ({
    number: String(600 + i),
    name: `${tag} queue ${i}`,
    strategy: i % 2 === 0 ? 'ring-all' : 'skills',
    members: ext.filter((_, j) => j % queues === i).map((e) => e.number),
    overflow: { after_s: 60 + i, to: `queue:${600 + ((i + 1) % queues)}` },
  }));
  return stringify({
    version: 1,
    site: { name: `Site ${tag}`, timezone: 'Europe/Berlin', country: 'DE', language: 'en' },
    extensions: ext,
    queues: q,
    trunks: [{ name: `trunk-${tag}`, host: '127.0.0.1', port: 5080 }],
    routes: {
      inbound: q.map((x, i) => ({ did: `+49301234${String(i).padStart(3, '0')}`, to: `queue:${x.number}` })),
      outbound: [{ pattern: '0*', trunks: [`trunk-${tag}`] }],
    },
  });
}
