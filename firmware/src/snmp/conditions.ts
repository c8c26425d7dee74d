import type { Logger } from '../log.ts';
import type { EngineState, SnmpDataSource } from './data-source.ts';
import type { Notification } from './notifier.ts';
import { regState } from './mib-view.ts';
import type { NotificationName } from './oids.ts';

/**
 * Turns state in the data source into CALLBOX-MIB notifications: it polls the source, remembers what it saw,
 * and notifies on transitions (a trunk going down, a disk filling past the threshold, ...). Event-like
 * notifications (brute force, firmware updated) are sent by their owners through sendNotification directly.
 */

export interface Thresholds {
  /** cbDiskSpaceLow when a data disk's use reaches this (percent); re-armed 2 points below. */
  diskUsedPercent: number;
  /** cbTemperatureHigh at this temperature (°C); re-armed 5 °C below. */
  temperatureC: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = { diskUsedPercent: 90, temperatureC: 80 };

export type Notify = <N extends NotificationName>(name: N, n: Omit<Notification<N>, 'name'>, family?: string) => void;

export interface ConditionWatcher {
  /** Compares the source with what was seen last and notifies about every transition; also runs on a timer. */
  check(): void;
  stop(): void;
}

interface Seen {
  trunks: Map<number, { down: boolean }>;
  allTrunksDown: boolean;
  rtpengine: EngineState;
  sipEngine: EngineState;
  diskLow: Map<string, boolean>;
  diskBad: Map<string, boolean>;
  hot: boolean;
  slBreached: Map<number, boolean>;
}

export function watchConditions(opts: { source: SnmpDataSource; notify: Notify; log: Logger; thresholds?: Partial<Thresholds>; intervalMs?: number }): ConditionWatcher {
  const { source, notify, log } = opts;
  const th = { ...DEFAULT_THRESHOLDS, ...opts.thresholds };
  let seen: Seen | null = null;

  const check = () => {
    const sys = source.system();
    const trunks = source.trunks();
    const queues = source.queues();
    const first = seen === null;
    const prev: Seen = seen ?? {
      trunks: new Map(),
      allTrunksDown: false,
      rtpengine: sys.rtpengine,
      sipEngine: sys.sipEngine,
      diskLow: new Map(),
      diskBad: new Map(),
      hot: false,
      slBreached: new Map(),
    };
    const next: Seen = { ...prev, trunks: new Map(), diskLow: new Map(), diskBad: new Map(), slBreached: new Map() };

    // Trunks and engines start from what the first check sees: right after boot a trunk is down until its
    // first OPTIONS answer, which is not news for the NOC.
    for (const t of trunks) {
      const down = t.state === 'down';
      const before = prev.trunks.get(t.index);
      if (!first && before && before.down !== down) {
        notify(down ? 'cbTrunkDown' : 'cbTrunkUp', { index: t.index, values: { cbTrunkName: t.name, cbTrunkState: t.state, cbTrunkRegState: regState(t.registration) } }, `trunk:${t.index}`);
      }
      next.trunks.set(t.index, { down });
    }
    next.allTrunksDown = trunks.length > 0 && trunks.every((t) => t.state === 'down');
    if (!first && next.allTrunksDown && !prev.allTrunksDown) notify('cbAllTrunksDown', { values: { cbTrunkCount: trunks.length } }, 'trunks:all');

    // 'unknown' (not probed yet) keeps the last known state, so down -> unknown -> up still reports up.
    if (sys.rtpengine !== 'unknown') {
      if (!first && sys.rtpengine !== prev.rtpengine) {
        if (sys.rtpengine === 'down') notify('cbRtpengineDown', { values: { cbSysRtpengineState: 'down' } }, 'rtpengine');
        else if (prev.rtpengine === 'down') notify('cbRtpengineUp', { values: { cbSysRtpengineState: 'up' } }, 'rtpengine');
      }
      next.rtpengine = sys.rtpengine;
    }
    if (sys.sipEngine !== 'unknown') {
      if (!first && sys.sipEngine !== prev.sipEngine) {
        if (sys.sipEngine === 'down') notify('cbSipEngineDown', { values: { cbSysSipEngineState: 'down' } }, 'sip-engine');
        else if (prev.sipEngine === 'down') notify('cbSipEngineUp', { values: { cbSysSipEngineState: 'up' } }, 'sip-engine');
      }
      next.sipEngine = sys.sipEngine;
    }

    // Hardware conditions are reported even on the first check: a full or failed disk after a restart is
    // exactly what the admin must hear about.
    sys.disks.forEach((d, i) => {
      const index = i + 1;
      const wasLow = prev.diskLow.get(d.mountPoint) ?? false;
      const low = d.state === 'mounted' && (wasLow ? d.usedPercent >= th.diskUsedPercent - 2 : d.usedPercent >= th.diskUsedPercent);
      if (low && !wasLow) {
        notify(
          'cbDiskSpaceLow',
          { index, values: { cbDiskMountPoint: d.mountPoint, cbDiskFree: Math.floor(d.freeBytes / 1048576), cbDiskUsedPercent: d.usedPercent, cbNotifThreshold: th.diskUsedPercent } },
          `disk:${d.mountPoint}:space`,
        );
      }
      next.diskLow.set(d.mountPoint, low);
      const bad = d.state !== 'mounted';
      if (bad && !(prev.diskBad.get(d.mountPoint) ?? false)) {
        notify('cbDiskFailed', { index, values: { cbDiskMountPoint: d.mountPoint, cbDiskDevice: d.device, cbDiskState: d.state } }, `disk:${d.mountPoint}:state`);
      }
      next.diskBad.set(d.mountPoint, bad);
    });

    if (sys.temperatureC !== null) {
      next.hot = prev.hot ? sys.temperatureC >= th.temperatureC - 5 : sys.temperatureC >= th.temperatureC;
      if (next.hot && !prev.hot) {
        notify('cbTemperatureHigh', { values: { cbSysTemperature: Math.round(sys.temperatureC * 10), cbNotifThreshold: th.temperatureC * 10 } }, 'temperature');
      }
    }

    for (const q of queues) {
      const breached = q.serviceLevelPercent < q.serviceLevelTargetPercent;
      if (breached && !(prev.slBreached.get(q.index) ?? false)) {
        notify(
          'cbServiceLevelBreached',
          { index: q.index, values: { cbQueueName: q.name, cbQueueServiceLevel: q.serviceLevelPercent, cbQueueServiceLevelTarget: q.serviceLevelTargetPercent } },
          `queue:${q.index}`,
        );
      }
      next.slBreached.set(q.index, breached);
    }
    seen = next;
  };

  const safeCheck = () => {
    try {
      check();
    } catch (err) {
      log.error({ err }, 'checking SNMP notification conditions failed');
    }
  };
  const timer = setInterval(safeCheck, opts.intervalMs ?? 5000);
  timer.unref();
  return { check, stop: () => clearInterval(timer) };
}
