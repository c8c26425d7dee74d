import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchesDialPattern } from '../../src/config/dial-pattern.ts';
import { outboundRouteSchema } from '../../src/config/site-schema.ts';

test('dial patterns match whole numbers as the site file documents', () => {
  const cases: [string, string, boolean][] = [
    ['11[02]', '110', true],
    ['11[02]', '112', true],
    ['11[02]', '111', false],
    ['11[02]', '1120', false],
    ['0[1-9]*', '030123456', true],
    ['0[1-9]*', '01', true],
    ['0[1-9]*', '0049301234', false],
    ['00*', '0049301234', true],
    ['XXXX', '1234', true],
    ['XXXX', '123', false],
    ['+49*', '+4930123456', true],
    ['+49*', '4930123456', false],
    ['[0-35-7]X', '47', false],
    ['[0-35-7]X', '57', true],
  ];
  for (const [pattern, number, expected] of cases) {
    assert.ok(outboundRouteSchema.safeParse({ pattern, trunks: ['t'] }).success, `${pattern} is a valid pattern`);
    assert.equal(matchesDialPattern(pattern, number), expected, `${pattern} vs ${number}`);
  }
});

test('patterns the router could misread are refused by the schema', () => {
  for (const pattern of ['', '*', '0*1', '1(1)', '[a-z]', '.+', '0[1-9', '49+']) {
    assert.equal(outboundRouteSchema.safeParse({ pattern, trunks: ['t'] }).success, false, `${pattern} must be refused`);
  }
});
