import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isOpen, localClock } from '../../src/calls/open-hours.ts';
import { hoursSchema } from '../../src/config/site-schema.ts';

const office = hoursSchema.parse({
  name: 'office',
  weekly: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], open: '08:00', close: '17:00' }],
  holidays: [
    { date: '2026-12-25', name: 'Christmas' },
    { date: '2026-12-24', name: 'Christmas Eve', open: '08:00', close: '12:00' },
  ],
});
const at = (iso: string) => isOpen(office, 'Europe/Berlin', new Date(iso));

test('weekly hours follow the site clock across daylight saving', () => {
  // Friday before the switch (CET, UTC+1): 06:30 UTC is 07:30 there.
  assert.equal(at('2026-03-27T06:30:00Z'), false);
  assert.equal(at('2026-03-27T07:00:00Z'), true);
  // Monday after the switch (CEST, UTC+2): 06:30 UTC is 08:30 there.
  assert.equal(at('2026-03-30T06:30:00Z'), true);
  // Closing minute excluded, the one before included.
  assert.equal(at('2026-03-30T14:59:00Z'), true);
  assert.equal(at('2026-03-30T15:00:00Z'), false);
  // Saturday.
  assert.equal(at('2026-03-28T10:00:00Z'), false);
});

test('the weekday is the one on the local wall clock, not UTC', () => {
  assert.deepEqual(localClock(new Date('2026-03-30T23:30:00Z'), 'Europe/Berlin'), { date: '2026-03-31', time: '01:30', day: 'tue' });
  assert.deepEqual(localClock(new Date('2026-03-30T02:00:00Z'), 'America/New_York'), { date: '2026-03-29', time: '22:00', day: 'sun' });
});

test('holidays replace the weekly hours: closed all day, or their own hours', () => {
  // 2026-12-25 is a Friday.
  assert.equal(at('2026-12-25T10:00:00Z'), false);
  assert.equal(at('2026-12-24T10:00:00Z'), true);
  assert.equal(at('2026-12-24T11:30:00Z'), false);
});

test('hours with their own time zone ignore the site one', () => {
  const ny = hoursSchema.parse({ name: 'ny', timezone: 'America/New_York', weekly: [{ days: ['mon'], open: '09:00', close: '10:00' }] });
  // 2026-03-30 13:30 UTC is 09:30 in New York (EDT) and 15:30 in Berlin.
  assert.equal(isOpen(ny, 'Europe/Berlin', new Date('2026-03-30T13:30:00Z')), true);
  assert.equal(isOpen(ny, 'Europe/Berlin', new Date('2026-03-30T08:30:00Z')), false);
});
