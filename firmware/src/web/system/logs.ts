import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * The recent log of the box's services from systemd's journal (the appliance logs there). On a machine without
 * a journal for them (a developer's `make run`, which logs to its terminal) it says so instead.
 */
export async function recentLogs(lines = 5000): Promise<string> {
  try {
    const { stdout } = await run(
      'journalctl',
      ['--no-pager', '-o', 'short-iso-precise', '-n', String(lines), '-u', 'callbox', '-u', 'callbox-sip', '-u', 'rtpengine', '-u', 'snmpd'],
      { maxBuffer: 64 * 1024 * 1024, timeout: 10_000 },
    );
    if (stdout.trim() !== '' && !/^-- No entries --\s*$/.test(stdout.trim())) return stdout;
  } catch {
    // No journalctl, or no permission to read the journal: answered below.
  }
  return '# No journal entries for the Callbox services on this machine.\n# In the dev profile (make run) the services log to the terminal that started them.\n';
}
