import type { Binding } from '../config/repositories/registrations.ts';
import type { AdapterContext } from './adapter-context.ts';

/**
 * Static queue members take calls while their phone is registered (DESIGN.md): a phone's first registration logs
 * its agent in, the last binding going away (un-REGISTER, expiry) logs it out. Refreshes change nothing, so a log
 * out or a pause from the phone or the console holds until the agent changes it.
 */
export function followRegistrations(ctx: AdapterContext): () => void {
  const registrar = ctx.deps.registrar;
  const onRegister = (b: Binding) => loginIfRegistered(ctx, b.extension);
  const onGone = (b: Binding) => {
    if (!isAgent(ctx, b.extension) || registrar.lookup(b.extension).length > 0) return;
    if (ctx.acd.agent(b.extension).state !== 'logged-out') ctx.submit({ type: 'agent-logout', agentId: b.extension });
  };
  registrar.on('register', onRegister);
  registrar.on('unregister', onGone);
  registrar.on('expire', onGone);
  return () => {
    registrar.off('register', onRegister);
    registrar.off('unregister', onGone);
    registrar.off('expire', onGone);
  };
}

/** At start and after a configuration change: agents whose phones are registered are logged in. */
export function loginRegistered(ctx: AdapterContext, only?: ReadonlySet<string>): void {
  for (const a of ctx.acd.agents()) if (only === undefined || only.has(a.id)) loginIfRegistered(ctx, a.id);
}

function loginIfRegistered(ctx: AdapterContext, extension: string): void {
  if (!isAgent(ctx, extension) || ctx.deps.registrar.lookup(extension).length === 0) return;
  if (ctx.acd.agent(extension).state === 'logged-out') ctx.submit({ type: 'agent-login', agentId: extension });
}

function isAgent(ctx: AdapterContext, extension: string): boolean {
  return ctx.acd.agents().some((a) => a.id === extension);
}
