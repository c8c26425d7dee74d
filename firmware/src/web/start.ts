import { execFile } from 'node:child_process';
import type { Database } from 'better-sqlite3';
import type { Env } from '../env.ts';
import type { Logger } from '../log.ts';
import { applyUpdate, updateContext } from '../update/apply.ts';
import type { GpioSnapshot } from '../platform/gpio.ts';
import type { ComponentHealth } from '../supervisor/component-health.ts';
import { InMemoryLiveState } from './live-state.ts';
import { startWebServer, type WebServer } from './server.ts';
import { ensureCertificate } from './system/tls.ts';

export interface Console {
  web: WebServer;
  /** Fed by the calls, ACD and trunk services; read by the live pages. */
  live: InMemoryLiveState;
  close(): Promise<void>;
}

const isLoopback = (a: string) => a === '::1' || a.startsWith('127.');

/**
 * The web console as the appliance runs it: HTTPS with the box's certificate (made at first boot), except in
 * the dev profile on a loopback address, where plain HTTP is allowed because nothing off the machine can reach it.
 */
export async function startConsole(o: { env: Env; db: Database; health: ComponentHealth; log: Logger; uiDir: string; leds?: () => GpioSnapshot }): Promise<Console> {
  const plain = o.env.CALLBOX_PROFILE === 'dev' && isLoopback(o.env.CALLBOX_BIND);
  const tls = plain ? undefined : await ensureCertificate(o.env.dataDir, [o.env.CALLBOX_BIND]);
  const live = new InMemoryLiveState({ health: o.health, ...(o.leds === undefined ? {} : { leds: o.leds }) });
  const web = await startWebServer({
    bind: o.env.CALLBOX_BIND,
    port: o.env.CALLBOX_HTTP_PORT,
    health: o.health,
    log: o.log,
    uiDir: o.uiDir,
    ...(tls === undefined ? {} : { tls }),
    api: {
      db: o.db,
      dataDir: o.env.dataDir,
      live,
      update: (file: string) => applyUpdate(file, updateContext({ dataDir: o.env.dataDir, profile: o.env.CALLBOX_PROFILE })),
      ...(o.leds === undefined ? {} : { leds: o.leds }),
      reboot: () => {
        if (o.env.CALLBOX_PROFILE !== 'appliance') {
          o.log.warn('reboot requested from the web console (dev profile: not rebooting this machine)');
          return;
        }
        o.log.warn('reboot requested from the web console');
        execFile('systemctl', ['reboot'], (err) => {
          if (err) o.log.error({ err: err.message }, 'reboot failed');
        });
      },
    },
  });
  return {
    web,
    live,
    close: async () => {
      await web.close();
      live.close();
    },
  };
}
