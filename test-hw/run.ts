// The hardware test suite: `make test-hw`, or `$NODE test-hw/run.ts` on a board (see test-hw/README.md).
import pino from 'pino';
import { detectBoard } from '../firmware/src/platform/board.ts';
import { createGpioBackend } from '../firmware/src/platform/gpio-factory.ts';
import { checkButton, checkDisks, checkLeds, checkNics, checkRtpengineModule, checkThermal, checkWatchdog, type CheckResult } from './checks.ts';

const detected = detectBoard();
if (detected.board.kind === 'simulated') {
  console.log(`test-hw: skipped, not on a Callbox board (${detected.reason}).`);
  console.log('test-hw: run it on a board, or name one with CALLBOX_BOARD=<id> (board-configs/) to check this machine against it.');
  process.exit(0);
}

const board = detected.board;
console.log(`test-hw: board ${board.id} (${detected.how}: ${detected.reason})`);
const expectedButton = process.env['CALLBOX_TEST_HW_BUTTON'] === 'pressed' ? 'pressed' : 'released';
const gpio = await createGpioBackend(board, { log: pino({ level: 'warn' }) });
const results: CheckResult[] = [];
try {
  results.push(...checkLeds(board, gpio), checkButton(board, gpio, expectedButton));
} finally {
  gpio.close();
}
results.push(checkWatchdog(board), ...checkDisks(board), ...checkNics(board), checkRtpengineModule(), ...checkThermal(board));

const width = Math.max(...results.map((r) => r.name.length));
for (const r of results) console.log(`${r.ok ? 'PASS' : 'FAIL'}  ${r.name.padEnd(width)}  ${r.detail}`);
const failed = results.filter((r) => !r.ok).length;
console.log(failed === 0 ? `test-hw: all ${results.length} checks passed` : `test-hw: ${failed} of ${results.length} checks failed`);
process.exit(failed === 0 ? 0 : 1);
