import type { Extension } from '../config/site-schema.ts';

/** A codec the site file can allow for an extension or a trunk (rtpengine encodes and decodes all of them). */
export type Codec = Extension['codecs'][number];

const POLICY_CODECS: readonly Codec[] = ['PCMA', 'PCMU', 'G722', 'opus', 'G729'];
/** RFC 3551's static payload types, for offers without an rtpmap line for them. */
const STATIC_PT: Record<string, string> = { '0': 'PCMU', '8': 'PCMA', '9': 'G722', '18': 'G729' };

/** The policy codecs an SDP's audio stream offers, in its order (telephone-event, CN and the like left out). */
export function sdpCodecs(sdp: string): Codec[] {
  const lines = sdp.replace(/\r/g, '').split('\n');
  const m = lines.find((l) => l.startsWith('m=audio '));
  if (!m) return [];
  const names = new Map<string, string>();
  for (const l of lines) {
    const r = /^a=rtpmap:(\d+) ([^/\s]+)/.exec(l);
    if (r) names.set(r[1] as string, r[2] as string);
  }
  const out: Codec[] = [];
  for (const pt of m.split(' ').slice(3)) {
    const name = names.get(pt) ?? STATIC_PT[pt];
    const codec = POLICY_CODECS.find((c) => c.toLowerCase() === name?.toLowerCase());
    if (codec && !out.includes(codec)) out.push(codec);
  }
  return out;
}

/** rtpengine's `codec` dictionary of an offer. */
export interface CodecFlags {
  /** Removed from the offer, and not used with the offerer either. */
  strip: Codec[];
  /** Kept with the offerer (and transcoded there), hidden from the other party. */
  mask: Codec[];
  /** Added for the other party, transcoded by rtpengine. */
  transcode: Codec[];
}

/**
 * The codec flags for an offer from a party allowed `own` towards one allowed `far` (undefined = no policy).
 * Codecs the offerer may not use are stripped; the other party sees only codecs it may use; and when the two
 * share none, rtpengine offers the far party's own codecs and transcodes (a G.722-only phone to a PCMA trunk).
 * Undefined when the offer holds no codec the offerer may use (the call gets 488).
 */
export function codecFlags(offer: string, own: readonly Codec[] | undefined, far: readonly Codec[] | undefined): CodecFlags | undefined {
  const offered = sdpCodecs(offer);
  const usable = own ? offered.filter((c) => own.includes(c)) : offered;
  if (usable.length === 0 && offered.length > 0) return undefined;
  const strip = offered.filter((c) => !usable.includes(c));
  if (!far) return { strip, mask: [], transcode: [] };
  const common = usable.filter((c) => far.includes(c));
  return { strip, mask: usable.filter((c) => !far.includes(c)), transcode: common.length > 0 ? [] : [...far] };
}
