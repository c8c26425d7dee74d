import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/** A dialled or received number in E.164 (+4930123456), read with the site's country for national forms. */
export function toE164(number: string, country: string): string | undefined {
  const digits = number.replace(/[\s().-]/g, '');
  if (/^\+[1-9]\d{6,14}$/.test(digits)) return digits;
  // Many carriers send the international form without the plus.
  const candidates = digits.startsWith('00') ? [`+${digits.slice(2)}`] : [digits];
  for (const c of candidates) {
    const p = parsePhoneNumberFromString(c, country as CountryCode);
    if (p?.isPossible()) return p.number;
  }
  return undefined;
}

export type NumberFormat = 'e164' | 'e164-no-plus' | 'national';

/** How a trunk wants numbers in its Request-URI and From: per the carrier's contract. */
export function formatForTrunk(e164: string, format: NumberFormat, country: string): string {
  if (format === 'e164') return e164;
  if (format === 'e164-no-plus') return e164.slice(1);
  const p = parsePhoneNumberFromString(e164, country as CountryCode);
  return p ? p.formatNational().replace(/[^\d]/g, '') : e164;
}
