import { startAppliance } from '../appliance.ts';
import { readEnv } from '../env.ts';
import { createLogger } from '../log.ts';
import { untilSignal } from './signals.ts';

export async function runCommand(_args: string[] = []): Promise<number> {
  const env = readEnv();
  const log = createLogger('callbox');
  const box = await startAppliance(env, log);
  const report = box.health.report();
  const lines = [
    '',
    `  Callbox is ${report.status === 'ok' ? 'up' : report.status}.`,
    `  Web UI:   ${box.webUrl}/`,
    `  Health:   ${box.webUrl}/health`,
    `  SIP:      udp/tcp ${env.CALLBOX_BIND}:${env.CALLBOX_SIP_PORT}`,
    `  Data:     ${env.dataDir}`,
  ];
  if (box.firstBootAdminPassword) {
    lines.push(`  Login:    admin / ${box.firstBootAdminPassword}   (shown once; you must change it at first login)`);
  } else if (env.CALLBOX_ADMIN_PASSWORD) {
    lines.push('  Login:    admin / the password in CALLBOX_ADMIN_PASSWORD (first boot only)');
  }
  lines.push('  Stop:     Ctrl-C', '');
  console.log(lines.join('\n'));
  const sig = await untilSignal();
  log.info({ signal: sig }, 'shutting down');
  await box.stop();
  log.info('stopped');
  return 0;
}
