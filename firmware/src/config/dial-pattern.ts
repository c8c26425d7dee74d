/*
 * The dial-pattern language of outbound routes (site file `routes.outbound[].pattern`), defined here next to
 * the schema that accepts it so the router and the validator cannot disagree:
 *   digits and a leading +   themselves
 *   X                        any one digit
 *   [1-9], [135], [0-35-7]   one digit from the class
 *   * (last character only)  any further digits, including none
 */

/** A RegExp matching whole dialled numbers; the pattern must have passed the site schema. */
export function dialPatternRegExp(pattern: string): RegExp {
  const open = pattern.endsWith('*');
  const body = open ? pattern.slice(0, -1) : pattern;
  const source = body.replace(/\+/g, '\\+').replace(/X/g, '[0-9]');
  return new RegExp(`^${source}${open ? '[0-9*#]*' : ''}$`);
}

export function matchesDialPattern(pattern: string, dialled: string): boolean {
  return dialPatternRegExp(pattern).test(dialled);
}
