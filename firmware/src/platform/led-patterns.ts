import { ledNames, type LedName } from './board-config.ts';

/**
 * Front-panel legend (printed in the installation guide; keep them in step):
 *
 * | scene            | power | status          | trunks                     | alarm      |
 * |------------------|-------|-----------------|----------------------------|------------|
 * | booting          | on    | blink-slow      | off                        | off        |
 * | healthy          | on    | heartbeat       | on                         | off        |
 * | degraded         | on    | blink-slow      | blink-fast if a trunk down | blink-slow |
 * | fault            | on    | off             | blink-fast if a trunk down | on         |
 * | status (button)  | on    | flashes 1-4 x   | as the health scene        | off        |
 * | reset-pending    | off   | off             | off                        | blink-fast |
 * | reset-confirmed  | all four blink-fast together: release the button to reset            |
 * | factory-reset    | all four on while the reset runs                                     |
 *
 * Status flash count: 1 healthy, 2 degraded, 3 fault, 4 booting.
 */

export type HealthState = 'booting' | 'healthy' | 'degraded' | 'fault';

/** The appliance health in the shape the /health endpoint and SNMP use. */
export interface HealthSummary {
  state: HealthState;
  reasons: string[];
}

/** A loop of (lit, duration) steps; a single step is a steady level. */
export interface LedPattern {
  name: string;
  steps: readonly { on: boolean; ms: number }[];
}

export interface LedScene {
  name: string;
  leds: Record<LedName, LedPattern>;
}

const steady = (on: boolean): LedPattern => ({ name: on ? 'on' : 'off', steps: [{ on, ms: 0 }] });
export const patterns = {
  off: steady(false),
  on: steady(true),
  blinkSlow: { name: 'blink-slow', steps: [{ on: true, ms: 1000 }, { on: false, ms: 1000 }] },
  blinkFast: { name: 'blink-fast', steps: [{ on: true, ms: 150 }, { on: false, ms: 150 }] },
  heartbeat: {
    name: 'heartbeat',
    steps: [{ on: true, ms: 100 }, { on: false, ms: 150 }, { on: true, ms: 100 }, { on: false, ms: 1650 }],
  },
} satisfies Record<string, LedPattern>;

/** N short flashes, then a pause long enough to count them. */
export function flashes(count: number): LedPattern {
  const steps: { on: boolean; ms: number }[] = [];
  for (let i = 0; i < count; i++) steps.push({ on: true, ms: 250 }, { on: false, ms: i === count - 1 ? 1500 : 250 });
  return { name: `flash-${count}`, steps };
}

export const statusFlashCount: Record<HealthState, number> = { healthy: 1, degraded: 2, fault: 3, booting: 4 };

/** Whether a reason concerns a trunk: the health model words them "trunk <name> ..." (e.g. "trunk carrier-a down"). */
const isTrunkReason = (reason: string) => /\btrunks?\b/i.test(reason);

/** The scene the LEDs show for a health summary. Pure: the same summary always gives the same scene. */
export function healthScene(summary: HealthSummary): LedScene {
  const trunkDown = summary.reasons.some(isTrunkReason);
  switch (summary.state) {
    case 'booting':
      return { name: 'booting', leds: { power: patterns.on, status: patterns.blinkSlow, trunks: patterns.off, alarm: patterns.off } };
    case 'healthy':
      return { name: 'healthy', leds: { power: patterns.on, status: patterns.heartbeat, trunks: patterns.on, alarm: patterns.off } };
    case 'degraded':
      return {
        name: 'degraded',
        leds: { power: patterns.on, status: patterns.blinkSlow, trunks: trunkDown ? patterns.blinkFast : patterns.on, alarm: patterns.blinkSlow },
      };
    case 'fault':
      return {
        name: 'fault',
        leds: { power: patterns.on, status: patterns.off, trunks: trunkDown ? patterns.blinkFast : patterns.on, alarm: patterns.on },
      };
  }
}

/** What a short press shows: the state as a number of status flashes. */
export function statusScene(summary: HealthSummary): LedScene {
  const base = healthScene(summary);
  return { name: 'status', leds: { ...base.leds, status: flashes(statusFlashCount[summary.state]), alarm: patterns.off } };
}

const all = (p: LedPattern) => Object.fromEntries(ledNames.map((l) => [l, p])) as Record<LedName, LedPattern>;

export const resetPendingScene: LedScene = { name: 'reset-pending', leds: { ...all(patterns.off), alarm: patterns.blinkFast } };
export const resetConfirmedScene: LedScene = { name: 'reset-confirmed', leds: all(patterns.blinkFast) };
export const factoryResetScene: LedScene = { name: 'factory-reset', leds: all(patterns.on) };
