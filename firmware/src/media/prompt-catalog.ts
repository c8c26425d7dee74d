/**
 * The box's built-in prompts: spoken by espeak-ng at build time (scripts/gen-prompts.ts), stored as 8 kHz mono
 * 16-bit WAV files that rtpengine plays. Numbers are separate files so announcements can compose them
 * ("you are caller number" + "3"); see number-prompts.ts.
 */
export const promptLanguages = ['en', 'de'] as const;
export type PromptLanguage = (typeof promptLanguages)[number];

type Texts = Record<PromptLanguage, string>;

const phrases = {
  welcome: { en: 'Thank you for calling.', de: 'Vielen Dank für Ihren Anruf.' },
  'all-agents-busy': { en: 'All of our agents are busy. Please hold, your call is important to us.', de: 'Alle Mitarbeiter sind im Gespräch. Bitte bleiben Sie in der Leitung.' },
  'you-are-caller-number': { en: 'You are caller number', de: 'Sie sind Anrufer Nummer' },
  'estimated-wait': { en: 'Your estimated waiting time is', de: 'Ihre voraussichtliche Wartezeit beträgt' },
  minute: { en: 'minute', de: 'Minute' },
  minutes: { en: 'minutes', de: 'Minuten' },
  'less-than-a-minute': { en: 'less than a minute', de: 'weniger als eine Minute' },
  // Phrases that name a key end before it: the key is configurable and is spoken after them (number-prompts.ts).
  'callback-offer': { en: 'To keep your place in the queue and be called back, press', de: 'Wenn Sie Ihren Platz behalten und zurückgerufen werden möchten, drücken Sie die Taste' },
  'callback-confirmed': { en: 'Thank you. We will call you back when it is your turn. Goodbye.', de: 'Vielen Dank. Wir rufen Sie zurück, sobald Sie an der Reihe sind. Auf Wiederhören.' },
  'callback-connect': { en: 'This is your requested call back. To be connected to an agent, press', de: 'Dies ist Ihr gewünschter Rückruf. Um verbunden zu werden, drücken Sie die Taste' },
  'key-star': { en: 'star', de: 'Stern' },
  'key-pound': { en: 'pound', de: 'Raute' },
  closed: { en: 'We are closed at the moment. Please call again during our business hours.', de: 'Wir haben gerade geschlossen. Bitte rufen Sie während unserer Geschäftszeiten wieder an.' },
  'invalid-option': { en: 'That is not a valid option.', de: 'Diese Auswahl ist ungültig.' },
  'no-one-available': { en: 'Sorry, no one is available to take your call. Goodbye.', de: 'Leider ist niemand erreichbar. Auf Wiederhören.' },
  'agent-logged-in': { en: 'You are logged in.', de: 'Sie sind angemeldet.' },
  'agent-logged-out': { en: 'You are logged out.', de: 'Sie sind abgemeldet.' },
  'agent-paused': { en: 'You are paused.', de: 'Sie sind pausiert.' },
  'agent-unpaused': { en: 'You are available again.', de: 'Sie sind wieder verfügbar.' },
  'dnd-on': { en: 'Do not disturb is on.', de: 'Bitte nicht stören ist eingeschaltet.' },
  'dnd-off': { en: 'Do not disturb is off.', de: 'Bitte nicht stören ist ausgeschaltet.' },
  'forward-on': { en: 'Your calls are forwarded.', de: 'Ihre Anrufe werden umgeleitet.' },
  'forward-off': { en: 'Call forwarding is off.', de: 'Die Anrufumleitung ist ausgeschaltet.' },
} satisfies Record<string, Texts>;

const units: Record<PromptLanguage, string[]> = {
  en: ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'],
  de: ['null', 'eins', 'zwei', 'drei', 'vier', 'fünf', 'sechs', 'sieben', 'acht', 'neun', 'zehn', 'elf', 'zwölf', 'dreizehn', 'vierzehn', 'fünfzehn', 'sechzehn', 'siebzehn', 'achtzehn', 'neunzehn'],
};
const tens: Record<PromptLanguage, string[]> = {
  en: ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'],
  de: ['', '', 'zwanzig', 'dreißig', 'vierzig', 'fünfzig', 'sechzig', 'siebzig', 'achtzig', 'neunzig'],
};
const hundredWord: Record<PromptLanguage, string> = { en: 'hundred', de: 'hundert' };

/** 0-99 as one spoken word each: German puts the unit first ("einundzwanzig"), so composing from parts won't do. */
function numberWord(n: number, lang: PromptLanguage): string {
  if (n < 20) return units[lang][n] as string;
  const t = tens[lang][Math.floor(n / 10)] as string;
  const u = n % 10;
  if (u === 0) return t;
  if (lang === 'de') return `${u === 1 ? 'ein' : units.de[u]}und${t}`;
  return `${t}-${units.en[u]}`;
}

export type PhraseId = keyof typeof phrases;

/** Every prompt file the build makes for a language: the phrases, `num-0`..`num-99` and `num-100` ("hundred"). */
export function promptTexts(lang: PromptLanguage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [id, texts] of Object.entries(phrases)) out[id] = texts[lang];
  for (let n = 0; n < 100; n++) out[`num-${n}`] = numberWord(n, lang);
  out['num-100'] = hundredWord[lang];
  return out;
}

export const espeakVoice: Record<PromptLanguage, string> = { en: 'en-us', de: 'de' };
