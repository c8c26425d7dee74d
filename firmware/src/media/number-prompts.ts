/** The prompt ids that speak a whole number 0-999: "[N hundred] [0-99]" (a queue position or minutes never go higher). */
export function numberPromptIds(n: number): string[] {
  if (!Number.isInteger(n) || n < 0 || n > 999) throw new RangeError(`cannot speak ${n}: 0-999 only`);
  const ids: string[] = [];
  const hundreds = Math.floor(n / 100);
  const rest = n % 100;
  if (hundreds > 0) ids.push(`num-${hundreds}`, 'num-100');
  if (rest === 0) return ids.length ? ids : ['num-0'];
  ids.push(`num-${rest}`);
  return ids;
}

/** "You are caller number 3": position announcements. */
export function positionAnnouncement(position: number): string[] {
  return ['you-are-caller-number', ...numberPromptIds(position)];
}

/** "Your estimated waiting time is 4 minutes", rounded up to whole minutes; under a minute says so. */
export function waitAnnouncement(seconds: number): string[] {
  if (seconds < 60) return ['estimated-wait', 'less-than-a-minute'];
  const minutes = Math.min(999, Math.ceil(seconds / 60));
  return ['estimated-wait', ...numberPromptIds(minutes), minutes === 1 ? 'minute' : 'minutes'];
}

/** The prompt id that speaks one DTMF key: a digit, "star" or "pound". */
export function keyPromptId(key: string): string {
  if (/^[0-9]$/.test(key)) return `num-${key}`;
  if (key === '*') return 'key-star';
  if (key === '#') return 'key-pound';
  throw new RangeError(`not a DTMF key: ${key}`);
}

/** A phrase that ends in "press" followed by the key, e.g. "... and be called back, press" + "2". */
export function pressKeyAnnouncement(phrase: string, key: string): string[] {
  return [phrase, keyPromptId(key)];
}
