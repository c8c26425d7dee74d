import type { Database } from 'better-sqlite3';
import type { Hours } from '../site-schema.ts';

type Day = Hours['weekly'][number]['days'][number];

export function listHours(db: Database): Hours[] {
  const weekly = db.prepare('SELECT * FROM hours_weekly ORDER BY hours, position').all() as { hours: string; days: string; open: string; close: string }[];
  const holidays = db.prepare('SELECT * FROM holidays ORDER BY hours, date').all() as { hours: string; date: string; name: string; open: string | null; close: string | null }[];
  const rows = db.prepare('SELECT * FROM hours ORDER BY name').all() as { name: string; timezone: string | null }[];
  return rows.map((r) => ({
    name: r.name,
    ...(r.timezone === null ? {} : { timezone: r.timezone }),
    weekly: weekly.filter((w) => w.hours === r.name).map((w) => ({ days: w.days.split(',') as Day[], open: w.open, close: w.close })),
    holidays: holidays
      .filter((h) => h.hours === r.name)
      .map((h) => ({ date: h.date, name: h.name, ...(h.open === null ? {} : { open: h.open }), ...(h.close === null ? {} : { close: h.close }) })),
  }));
}

export function replaceHours(db: Database, hours: readonly Hours[]): void {
  db.prepare('DELETE FROM hours_weekly').run();
  db.prepare('DELETE FROM holidays').run();
  db.prepare('DELETE FROM hours').run();
  const insert = db.prepare('INSERT INTO hours (name, timezone) VALUES (?, ?)');
  const insertWeekly = db.prepare('INSERT INTO hours_weekly (hours, position, days, open, close) VALUES (?, ?, ?, ?, ?)');
  const insertHoliday = db.prepare('INSERT INTO holidays (hours, date, name, open, close) VALUES (?, ?, ?, ?, ?)');
  for (const h of hours) {
    insert.run(h.name, h.timezone ?? null);
    h.weekly.forEach((w, i) => insertWeekly.run(h.name, i, w.days.join(','), w.open, w.close));
    for (const d of h.holidays) insertHoliday.run(h.name, d.date, d.name, d.open ?? null, d.close ?? null);
  }
}
