#!/usr/bin/env node
// `callbox <command>`: the one entry point of the firmware (DESIGN.md section 4).

const usage = `usage: callbox <command>

  run                  start the appliance (rtpengine, SIP engine, services, web UI)
  sip-engine [flags]   run only the SIP engine (drachtio-server compatible flags)
  config apply FILE    validate a site file completely, then apply it in one transaction
  config export        print the configuration in force as a site file
  selftest             check this machine can run Callbox, with a fix for each problem
  update apply FILE    verify a signed update bundle, then install it into the inactive slot
  version              print the firmware version and git commit`;

// Loaded on demand: the SIP engine process must not carry the apps' modules (Koa, SQLite, SNMP) in its memory.
const commands: Record<string, (args: string[]) => Promise<number>> = {
  run: async (a) => (await import('./cli/run.ts')).runCommand(a),
  'sip-engine': async (a) => (await import('./cli/sip-engine.ts')).sipEngineCommand(a),
  config: async (a) => (await import('./cli/config.ts')).configCommand(a),
  selftest: async () => (await import('./cli/selftest.ts')).selftestCommand(),
  update: async (a) => (await import('./cli/update.ts')).updateCommand(a),
  version: async () => (await import('./cli/version.ts')).versionCommand(),
};

const [name, ...rest] = process.argv.slice(2);
const command = name === undefined ? undefined : commands[name];
if (name === '--help' || name === '-h' || name === 'help') {
  console.log(usage);
} else if (!command) {
  console.error(name === undefined ? usage : `callbox: unknown command '${name}'\n\n${usage}`);
  process.exitCode = 2;
} else {
  command(rest).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      // Expected failures carry a one-line message saying what to fix; a programming error keeps its stack.
      const e = err instanceof Error ? err : new Error(String(err));
      const bug = e instanceof TypeError || e instanceof ReferenceError || e instanceof RangeError || e instanceof SyntaxError;
      console.error(`callbox ${name}: ${bug || process.env['CALLBOX_DEBUG'] ? (e.stack ?? e.message) : e.message}`);
      process.exitCode = 1;
    },
  );
}
