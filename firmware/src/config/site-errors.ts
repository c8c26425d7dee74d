import type { Document, LineCounter } from 'yaml';
import type { z } from 'zod';

/** One problem in a site file: where (`queues[2].strategy`), what, and the YAML line when known. */
export interface SiteError {
  path: string;
  message: string;
  line?: number;
}

export type PathSegment = string | number;

/** `['queues', 2, 'strategy']` -> `queues[2].strategy`; keys that are not plain words are quoted. */
export function formatPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(s)) out += out === '' ? s : `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out === '' ? '(file)' : out;
}

const typeNames: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a map of fields',
  record: 'a map of fields',
};

function sizeMessage(issue: { origin?: string; minimum?: unknown; maximum?: unknown; inclusive?: boolean }, small: boolean): string {
  const bound = Number(small ? issue.minimum : issue.maximum);
  const inclusive = issue.inclusive !== false;
  switch (issue.origin) {
    case 'string':
      if (small && bound === 1) return 'must not be empty';
      return small ? `must be at least ${bound} characters long` : `must be at most ${bound} characters long`;
    case 'array':
    case 'set':
      if (small && bound === 1) return 'must list at least one entry';
      return small ? `must list at least ${bound} entries` : `must list at most ${bound} entries`;
    default:
      if (small) return inclusive ? `must be at least ${bound}` : `must be more than ${bound}`;
      return inclusive ? `must be at most ${bound}` : `must be less than ${bound}`;
  }
}

type Issue = z.core.$ZodIssue;

/** YAML reads unquoted digits as a number (and drops leading zeros), so numbers-as-names must be quoted. */
const quoteHint = (input: number) => ` (write it in quotes, e.g. "${input}")`;

/** zod's issues in the words an installer reads, one error per problem, with paths. */
export function issuesToErrors(issues: readonly Issue[], prefix: readonly PathSegment[] = []): { segments: PathSegment[]; message: string }[] {
  const out: { segments: PathSegment[]; message: string }[] = [];
  for (const issue of issues) {
    const segments = [...prefix, ...(issue.path as PathSegment[])];
    switch (issue.code) {
      case 'invalid_type': {
        const input = (issue as { input?: unknown }).input;
        if (input === undefined) {
          out.push({ segments, message: 'is required' });
        } else {
          const hint = issue.expected === 'string' && typeof input === 'number' ? quoteHint(input) : '';
          out.push({ segments, message: `must be ${typeNames[issue.expected] ?? issue.expected}${hint}` });
        }
        break;
      }
      case 'invalid_value':
        out.push({
          segments,
          message: issue.values.length === 1 ? `must be ${String(issue.values[0])}` : `must be one of ${issue.values.map(String).join(', ')}`,
        });
        break;
      case 'invalid_union': {
        const disc = issue as { note?: string; options?: unknown[] };
        if (disc.options !== undefined) {
          out.push({ segments, message: `must be one of ${disc.options.map(String).join(', ')}` });
          break;
        }
        // A value of the right kind (e.g. a map where "string or map" is allowed) is reported against the branch
        // it was meant for; otherwise say which kinds are allowed.
        const branch = issue.errors.find((errs) => !errs.some((e) => e.code === 'invalid_type' && e.path.length === 0));
        if (branch !== undefined) {
          out.push(...issuesToErrors(branch, segments));
        } else {
          const expected = issue.errors.flatMap((errs) => errs.filter((e) => e.code === 'invalid_type').map((e) => (e as { expected: string }).expected));
          const input = (issue as { input?: unknown }).input;
          const hint = expected.includes('string') && typeof input === 'number' ? quoteHint(input) : '';
          out.push({ segments, message: `must be ${expected.map((k) => typeNames[k] ?? k).join(' or ')}${hint}` });
        }
        break;
      }
      case 'invalid_key':
        for (const inner of issuesToErrors(issue.issues, [])) out.push({ segments, message: `is not a valid key: ${inner.message}` });
        break;
      case 'invalid_element':
        out.push(...issuesToErrors(issue.issues, segments));
        break;
      case 'unrecognized_keys':
        for (const key of issue.keys) out.push({ segments: [...segments, key], message: 'is not a known field (check the spelling)' });
        break;
      case 'too_small':
        out.push({ segments, message: sizeMessage(issue as never, true) });
        break;
      case 'too_big':
        out.push({ segments, message: sizeMessage(issue as never, false) });
        break;
      case 'invalid_format':
        out.push({ segments, message: issue.message.startsWith('Invalid') ? `must be a valid ${issue.format}` : issue.message });
        break;
      case 'not_multiple_of':
        out.push({ segments, message: `must be a multiple of ${String(issue.divisor)}` });
        break;
      default:
        out.push({ segments, message: issue.message });
    }
  }
  return out;
}

/** The 1-based line of the YAML node at `segments`, or of its nearest existing parent. */
export function lineOf(doc: Document, counter: LineCounter, segments: readonly PathSegment[]): number | undefined {
  for (let n = segments.length; n >= 0; n--) {
    const node = doc.getIn(segments.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node?.range !== undefined) {
      // A field that is present but wrong points at its value; an unknown or missing one at its map.
      return counter.linePos(node.range[0]).line;
    }
  }
  return undefined;
}
