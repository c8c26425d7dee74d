/**
 * A fixed-offset time zone in which it is about noon now, for tests that count "today": with the site in it,
 * a test run never crosses the site's midnight (a run at 23:00 UTC with the site in Europe/Berlin did, and
 * the calls it had just made were yesterday's).
 */
export function middayTimeZone(now = new Date()): string {
  const hoursAhead = 12 - now.getUTCHours();
  // Etc/GMT names count the other way: Etc/GMT-3 is three hours ahead of UTC.
  return hoursAhead === 0 ? 'Etc/UTC' : `Etc/GMT${hoursAhead > 0 ? '-' : '+'}${Math.abs(hoursAhead)}`;
}
