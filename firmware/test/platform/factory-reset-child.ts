// Runs a factory reset in its own process so the test can kill it at any moment (see factory-reset.test.ts).
// argv[2]: JSON { stateDir, plan, killAtStep } ; starts when a line arrives on stdin.
import { factoryReset, type FactoryResetPlan } from '../../src/platform/factory-reset.ts';

const args = JSON.parse(process.argv[2] ?? '{}') as { stateDir: string; plan: FactoryResetPlan; killAtStep: number | null };
let steps = 0;
process.stdout.write('ready\n');
process.stdin.once('data', () => {
  factoryReset(args.plan, {
    stateDir: args.stateDir,
    onStep: () => {
      steps++;
      if (steps === args.killAtStep) process.kill(process.pid, 'SIGKILL');
    },
  });
  process.stdout.write('finished\n');
  process.exit(0);
});
