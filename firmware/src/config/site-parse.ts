import { LineCounter, parseDocument } from 'yaml';
import { siteSchema, type SiteFile } from './site-schema.ts';
import { formatPath, issuesToErrors, lineOf, type SiteError } from './site-errors.ts';
import { validateReferences } from './site-validate.ts';

export type ParseResult = { ok: true; site: SiteFile } | { ok: false; errors: SiteError[] };

/**
 * Validates a site file completely, without touching any store: YAML syntax, then the shape, then the
 * cross-references. Every error carries its path and, where it can be found, its line.
 */
export function parseSiteFile(yamlText: string): ParseResult {
  const counter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter: counter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => {
        const line = e.linePos?.[0].line;
        // The pretty message ends with a quote of the source over several lines; the first line is the reason.
        const reason = (e.message.split('\n')[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, '');
        return { path: '(yaml)', message: `syntax error: ${reason}`, ...(line === undefined ? {} : { line }) };
      }),
    };
  }
  let data: unknown;
  try {
    // Throws for what the parser lets through: an alias without its anchor, or too many aliases (a YAML bomb).
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (err) {
    return { ok: false, errors: [{ path: '(yaml)', message: `syntax error: ${(err as Error).message}` }] };
  }
  const parsed = siteSchema.safeParse(data, { reportInput: true });
  // In the order of the file, as a person fixes them.
  const withLines = (list: { segments: (string | number)[]; message: string }[]): SiteError[] =>
    list
      .map((e) => {
        const line = lineOf(doc, counter, e.segments);
        return { path: formatPath(e.segments), message: e.message, ...(line === undefined ? {} : { line }) };
      })
      .sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
  if (!parsed.success) return { ok: false, errors: withLines(issuesToErrors(parsed.error.issues)) };
  const refErrors = validateReferences(parsed.data);
  if (refErrors.length > 0) return { ok: false, errors: withLines(refErrors) };
  return { ok: true, site: parsed.data };
}
