import type { Hours } from '../config/site-schema.ts';

const WEEKDAY: Record<string, Hours['weekly'][number]['days'][number]> = { Mon: 'mon', Tue: 'tue', Wed: 'wed', Thu: 'thu', Fri: 'fri', Sat: 'sat', Sun: 'sun' };

/** The wall clock in a time zone: the date (YYYY-MM-DD), the time (HH:MM) and the weekday there. */
export function localClock(now: Date, timeZone: string): { date: string; time: string; day: Hours['weekly'][number]['days'][number] } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', weekday: 'short', hourCycle: 'h23' }).formatToParts(now);
  const p = (type: Intl.DateTimeFormatPartTypes) => parts.find((x) => x.type === type)?.value ?? '';
  const day = WEEKDAY[p('weekday')];
  if (!day) throw new Error(`no weekday for ${now.toISOString()} in ${timeZone}`);
  return { date: `${p('year')}-${p('month')}-${p('day')}`, time: `${p('hour')}:${p('minute')}`, day };
}

/**
 * Whether `hours` are open at `now`, on the wall clock of their time zone (else the site's), so daylight saving
 * moves the opening with the clock. A holiday replaces that day's weekly hours: closed all day, or its own
 * open/close. Ranges include the opening minute and exclude the closing one.
 */
export function isOpen(hours: Hours, siteTimeZone: string, now: Date): boolean {
  const { date, time, day } = localClock(now, hours.timezone ?? siteTimeZone);
  const within = (open: string, close: string) => open <= time && time < close;
  const holiday = hours.holidays.find((h) => h.date === date);
  if (holiday) return holiday.open !== undefined && holiday.close !== undefined && within(holiday.open, holiday.close);
  return hours.weekly.some((w) => w.days.includes(day) && within(w.open, w.close));
}
