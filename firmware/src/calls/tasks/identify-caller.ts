import { digestAlgorithmsFor } from '../digest/algorithms.ts';
import { digestChallenges, verifyDigest } from '../digest/verify.ts';
import type { Trunk } from '../../config/site-schema.ts';
import type { InviteContext, InviteStep } from '../invite-context.ts';
import { displayName, uriUser } from '../sip-types.ts';

/**
 * Who is calling. A registered phone's address or else any address that is not a trunk's must prove an
 * extension's password (407 challenge). A trunk is recognised by its source address, or, for a registered
 * trunk, by the Request-URI user being the contact user we registered (carriers often send calls from other
 * addresses than the one we register to); the DID is then in the To header.
 */
export const identifyCaller: InviteStep = (ctx) => {
  const { req, res, deps } = ctx;
  const address = req.source_address;
  const port = Number(req.source_port);
  const fromPhone = deps.registrar.isRegisteredSource(address, port, req.protocol);
  const byRegistration = fromPhone ? undefined : registeredTrunkFor(ctx);
  const trunk = fromPhone ? undefined : (deps.trunks.matchSource(address, port) ?? byRegistration);
  if (trunk) {
    if (trunk === byRegistration) ctx.dialled = uriUser(req.get('To')) ?? ctx.dialled;
    ctx.caller = { number: uriUser(req.get('From')) ?? 'anonymous', name: displayName(req.get('From')), trunk: trunk.name };
    return 'next';
  }
  const extensions = deps.registrar.extensions.current();
  const auth = verifyDigest({
    header: req.get('Proxy-Authorization'),
    method: 'INVITE',
    realm: deps.realm,
    nonces: deps.nonces,
    lookupPassword: (u) => extensions.get(u)?.password,
    algorithmsFor: (u) => digestAlgorithmsFor(extensions.get(u), deps.digestAlgorithms),
  });
  if (!auth.ok) {
    if (auth.reason === 'no credentials' || auth.stale) {
      const fromUser = uriUser(req.get('From'));
      const algorithms = digestAlgorithmsFor(fromUser === undefined ? undefined : extensions.get(fromUser), deps.digestAlgorithms);
      res.send(407, { headers: { 'Proxy-Authenticate': digestChallenges(deps.realm, deps.nonces, auth.stale === true, algorithms) } });
    } else {
      deps.registrar.countAuthFailure(`${req.protocol}/${address}:${port}`, auth.username, auth.reason);
      res.send(403);
    }
    return 'done';
  }
  const ext = extensions.get(auth.username);
  ctx.caller = { number: auth.username, name: ext?.name, extension: auth.username };
  return 'next';
};

/** The registered trunk whose contact user the Request-URI names; never an extension's number. */
function registeredTrunkFor(ctx: InviteContext): Trunk | undefined {
  const { deps, dialled } = ctx;
  if (!dialled || deps.registrar.extensions.get(dialled)) return undefined;
  return deps.trunks.list().find((t) => t.register?.user === dialled && deps.trunkHealth.get(t.name)?.registration === 'registered');
}
