import { getExtension } from '../config/repositories/extensions.ts';
import { listOutboundRoutes } from '../config/repositories/routes.ts';
import { getSettings } from '../config/repositories/settings.ts';
import { matchesDialPattern } from '../config/dial-pattern.ts';
import { parseTarget, type OutboundRoute, type Target } from '../config/site-schema.ts';
import { formatForTrunk, toE164 } from '../trunks/number-format.ts';
import { trunkUri } from '../trunks/trunk-registry.ts';
import type { Party } from './call-deps.ts';
import { dialLegs, type DialAttempt, type DialEnv, type DialResult } from './dial-legs.ts';
import { quoteName } from './sip-types.ts';

/** Forwarding chains longer than this are a loop in the configuration. */
const MAX_FORWARDS = 5;
const TRUNK_RING_MS = 120_000;

export interface PlaceEnv extends DialEnv {
  caller: Party;
}

/**
 * A queue reached while placing a call (an extension forwards to `queue:N`): the calls app cannot ring a queue,
 * so the caller, still unanswered, is handed to the queue app (connect-call.ts). Where nobody takes the hand-over
 * (a callback or an overflow being dialled) it is what it was before: 480.
 */
export interface HandOver {
  ok: false;
  status: 480;
  handOver: Target;
}
export type PlaceResult = DialResult | HandOver;

/** Where a dialled number goes: an extension, an outbound route, or nowhere. */
export type Destination = { kind: 'extension'; number: string } | { kind: 'outbound'; route: OutboundRoute; number: string } | { kind: 'none' };

export function resolveDialled(env: { deps: PlaceEnv['deps'] }, dialled: string): Destination {
  if (getExtension(env.deps.db, dialled)) return { kind: 'extension', number: dialled };
  const route = listOutboundRoutes(env.deps.db).find((r) => matchesDialPattern(r.pattern, dialled));
  if (route) return { kind: 'outbound', route, number: dialled };
  return { kind: 'none' };
}

/** Places the call to a destination with every rule that applies (DND, forwarding, failover). */
export function placeCall(env: PlaceEnv, dest: Destination): Promise<PlaceResult> {
  if (dest.kind === 'extension') return dialExtension(env, dest.number, 0);
  if (dest.kind === 'outbound') return dialOutbound(env, dest.route, dest.number);
  return Promise.resolve({ ok: false, status: 404 });
}

export function dialTarget(env: PlaceEnv, target: Target, depth: number): Promise<PlaceResult> {
  switch (target.kind) {
    case 'extension':
      return dialExtension(env, target.number, depth);
    case 'external':
      return dialE164(env, target.e164);
    case 'hangup':
      return Promise.resolve({ ok: false, status: 480 });
    case 'queue':
      return Promise.resolve({ ok: false, status: 480, handOver: target });
    default:
      // IVR flows are answered by the IVR app, which is not connected to calls yet.
      env.deps.log.warn({ target }, 'call target not handled by the calls app yet');
      return Promise.resolve({ ok: false, status: 480 });
  }
}

async function dialExtension(env: PlaceEnv, number: string, depth: number): Promise<PlaceResult> {
  const { deps } = env;
  const ext = getExtension(deps.db, number);
  if (!ext) return { ok: false, status: 404 };
  const fwd = ext.forward ?? {};
  const forward = (to: string | undefined, fallback: number): Promise<PlaceResult> => {
    if (to === undefined) return Promise.resolve({ ok: false, status: fallback });
    if (depth >= MAX_FORWARDS) {
      deps.log.warn({ extension: number, to }, 'forwarding loop: not forwarding further');
      return Promise.resolve({ ok: false, status: 482 });
    }
    deps.log.info({ extension: number, to }, 'call forwarded');
    return dialTarget(env, parseTarget(to), depth + 1);
  };
  if (fwd.always) return forward(fwd.always, 480);
  if (ext.dnd) return forward(fwd.busy, 486);
  const bindings = deps.registrar.lookup(number);
  if (bindings.length === 0) return forward(fwd.no_answer ?? fwd.busy, 480);
  const from = `${env.caller.name ? `${quoteName(env.caller.name)} ` : ''}<sip:${env.caller.number}@localhost>`;
  const attempts: DialAttempt[] = bindings.map((b) => ({
    uri: b.contact,
    proxy: `sip:${b.receivedAddress.includes(':') ? `[${b.receivedAddress}]` : b.receivedAddress}:${b.receivedPort};transport=${b.receivedProto}`,
    headers: { From: from, To: `<sip:${number}@localhost>`, 'P-Asserted-Identity': from },
    cdr: { direction: env.caller.trunk ? 'inbound' : 'internal', callee: number, extension: number },
  }));
  const offerSdp = env.offerFor ? await env.offerFor(ext.codecs) : env.offerSdp;
  env.ringing?.add(number);
  const result = await dialLegs({ ...env, offerSdp }, attempts, ext.ring_timeout_s * 1000).finally(() => env.ringing?.delete(number));
  if (result.ok || env.signal.aborted) return result;
  if (result.status === 486 || result.status === 600) return forward(fwd.busy, result.status);
  return forward(fwd.no_answer, result.status);
}

/**
 * An outbound route: strip/prepend, E.164, then each trunk in order until one gives an answer that is final.
 * Trunks that are down or full are passed over; with none left the call gets 503.
 */
async function dialOutbound(env: PlaceEnv, route: OutboundRoute, dialled: string): Promise<DialResult> {
  const number = route.prepend + dialled.slice(route.strip);
  const country = getSettings(env.deps.db).site.country;
  const e164 = toE164(number, country);
  if (!e164) return { ok: false, status: 484 };
  return dialTrunks(env, route.trunks, e164, route.caller_id);
}

function dialE164(env: PlaceEnv, e164: string): Promise<DialResult> {
  const route = listOutboundRoutes(env.deps.db).find((r) => matchesDialPattern(r.pattern, e164) || matchesDialPattern(r.pattern, e164.slice(1)));
  const trunks = route?.trunks ?? env.deps.trunks.list().map((t) => t.name);
  return dialTrunks(env, trunks, e164, route?.caller_id);
}

/** Answers that mean "the callee said no", where trying another carrier would not help. */
const FINAL_FOR_ALL_TRUNKS = new Set([404, 480, 484, 486, 487, 600, 603, 604]);

async function dialTrunks(env: PlaceEnv, names: readonly string[], e164: string, callerId: string | undefined): Promise<DialResult> {
  const { deps } = env;
  const country = getSettings(deps.db).site.country;
  let last: DialResult = { ok: false, status: 503 };
  for (const name of names) {
    const trunk = deps.trunks.get(name);
    if (!trunk) continue;
    if (!deps.trunkHealth.usable(name)) {
      deps.trunkHealth.noteFailover(name);
      deps.log.info({ trunk: name }, 'trunk is down; trying the next one');
      continue;
    }
    const offerSdp = env.offerFor ? await env.offerFor(trunk.codecs) : env.offerSdp;
    const slot = deps.trunkHealth.tryAcquire(name);
    if (!slot) {
      deps.trunkHealth.noteFailover(name);
      deps.log.info({ trunk: name }, 'trunk carries max_calls already; trying the next one');
      continue;
    }
    const callee = formatForTrunk(e164, trunk.number_format, country);
    const ownE164 = callerId ?? toE164(env.caller.number, country);
    const fromUser = trunk.from_user ?? (ownE164 ? formatForTrunk(ownE164, trunk.number_format, country) : (trunk.register?.user ?? env.caller.number));
    const auth = deps.trunks.credentials(trunk);
    const attempt: DialAttempt = {
      uri: trunkUri(trunk, callee),
      headers: { From: `<sip:${fromUser}@localhost>`, To: `<${trunkUri(trunk, callee)}>` },
      ...(auth ? { auth } : {}),
      cdr: { direction: 'outbound', callee: e164, trunk: trunk.name, ...(env.caller.extension ? { extension: env.caller.extension } : {}) },
    };
    last = await dialLegs({ ...env, offerSdp }, [attempt], TRUNK_RING_MS);
    if (last.ok) slot.bind(last.legId);
    else slot.release();
    if (last.ok || env.signal.aborted || FINAL_FOR_ALL_TRUNKS.has(last.status)) return last;
    deps.trunkHealth.noteFailover(name);
    deps.log.warn({ trunk: name, status: last.status }, 'trunk failed; trying the next one');
  }
  return last;
}
