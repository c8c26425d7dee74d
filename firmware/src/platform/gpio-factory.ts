import type { BoardConfig } from './board-config.ts';
import type { GpioBackend } from './gpio.ts';
import { createOnoffGpio, type OnoffOptions } from './gpio-onoff.ts';
import { SimulatedGpio } from './gpio-simulated.ts';

/** The front panel for a detected board: in memory for the simulated board, sysfs GPIO through onoff otherwise. */
export async function createGpioBackend(board: BoardConfig, opts: OnoffOptions): Promise<GpioBackend> {
  if (board.kind === 'simulated') return new SimulatedGpio(board);
  return createOnoffGpio(board, opts);
}
