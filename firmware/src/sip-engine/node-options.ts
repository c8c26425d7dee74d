/**
 * V8 settings for the engine's process, passed by environment (`NODE_OPTIONS` also reaches the one-file
 * firmware, where node flags on the command line cannot). The engine's heap holds little that lives long
 * (transactions linger 32 s, messages die at once), so V8's default young generation of up to 3 x 16 MB only
 * adds resident memory: with 2 MB semi-spaces the engine stayed about 100 MB smaller at 200 calls/s, for
 * more frequent but short scavenges.
 */
export const SIP_ENGINE_NODE_OPTIONS = '--max-semi-space-size=2';

/** `env` with the engine's V8 settings added to any NODE_OPTIONS already there. */
export function sipEngineEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const given = env['NODE_OPTIONS']?.trim();
  return { ...env, NODE_OPTIONS: given ? `${given} ${SIP_ENGINE_NODE_OPTIONS}` : SIP_ENGINE_NODE_OPTIONS };
}
