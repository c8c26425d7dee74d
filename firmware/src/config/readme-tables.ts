import { queueOptionsMarkdown } from './queue-options-doc.ts';

const tables: Record<string, () => string> = { 'queue-options': queueOptionsMarkdown };

/** README text with every generated table replaced by its current content; throws if a marker is missing. */
export function readmeWithTables(readme: string): string {
  let out = readme;
  for (const [name, make] of Object.entries(tables)) {
    const start = `<!-- ${name}:start -->`;
    const end = `<!-- ${name}:end -->`;
    const i = out.indexOf(start);
    const j = out.indexOf(end);
    if (i < 0 || j < i) throw new Error(`README.md lacks the markers ${start} ... ${end}`);
    out = `${out.slice(0, i + start.length)}\n${make()}\n${out.slice(j)}`;
  }
  return out;
}
