// Lint rules, including the borders between capabilities (DESIGN.md section 3): a wrong import fails `make lint`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const adapters = ['sip-engine', 'calls', 'acd-calls', 'media', 'trunks', 'qos', 'recording', 'provisioning', 'snmp', 'platform', 'web', 'config', 'supervisor'];
const pure = ['acd', 'ivr', 'sbc', 'stats'];

const importsOf = (folders) => folders.flatMap((f) => [`**/${f}/*`, `**/${f}/**`, `../${f}/*`]);

/** Pure domain cores: no I/O, no Node built-ins, no adapters. They get a clock and events. */
const pureBorders = pure.map((folder) => ({
  files: [`firmware/src/${folder}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          { group: ['node:*', 'fs', 'net', 'dgram', 'http', 'child_process'], message: `${folder}/ is a pure core: no I/O. Pass data in from an adapter.` },
          { group: importsOf(adapters), message: `${folder}/ is a pure core: adapters depend on it, never the reverse.` },
          { group: ['better-sqlite3', 'koa', '@koa/router', 'drachtio-srf', 'rtpengine-client', 'net-snmp', 'systeminformation', 'onoff', 'pino'], message: `${folder}/ is a pure core: no I/O libraries.` },
        ],
      },
    ],
  },
}));

/** The SIP engine is a separate process: it shares only small leaf modules with the apps. */
const engineBorder = {
  files: ['firmware/src/sip-engine/**/*.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            group: importsOf(['calls', 'acd-calls', 'media', 'acd', 'ivr', 'trunks', 'qos', 'recording', 'provisioning', 'snmp', 'web', 'config', 'stats', 'sbc']),
            message: 'sip-engine/ never decides call logic and runs in its own process: it must not import the apps.',
          },
          { group: ['drachtio-srf'], message: 'sip-engine/ is the server side of the drachtio protocol; drachtio-srf is the client.' },
        ],
      },
    ],
  },
};

/** The config store is below every other adapter: it must not reach up into them. */
const configBorder = {
  files: ['firmware/src/config/**/*.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      { patterns: [{ group: importsOf(['sip-engine', 'calls', 'acd-calls', 'media', 'trunks', 'qos', 'recording', 'provisioning', 'snmp', 'web', 'platform', 'supervisor']), message: 'config/ is the store other adapters read; it must not import them.' }] },
    ],
  },
};

/**
 * The call layers under the queue app: calls/, trunks/ and media/ place and carry calls; acd-calls/ drives the ACD
 * with them. They hand the queue app what it needs through interfaces (calls/call-deps.ts), never by importing it,
 * and know nothing of the monitoring and platform adapters that watch them.
 */
const callLayersBorder = {
  files: ['firmware/src/calls/**/*.ts', 'firmware/src/trunks/**/*.ts', 'firmware/src/media/**/*.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      { patterns: [{ group: importsOf(['acd-calls', 'snmp', 'platform', 'update', 'sip-engine']), message: 'calls/, trunks/ and media/ sit below the queue app and the monitoring adapters: pass what they need in through an interface.' }] },
    ],
  },
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'firmware/dist/**', 'web-ui/dist/**', 'build/**', 'var/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: false } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['error'] }],
    },
  },
  { files: ['firmware/src/cli.ts', 'firmware/src/cli/**/*.ts', 'scripts/**', 'test-hw/**', 'firmware/test/**', 'firmware/bench/**', '**/*.test.ts', 'web-ui/**'], rules: { 'no-console': 'off' } },
  { files: ['**/*.js', '**/*.mjs', '**/*.cjs'], languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', module: 'writable', require: 'readonly' } } },
  ...pureBorders,
  engineBorder,
  configBorder,
  callLayersBorder,
);
