/**
 * The console's words, in English and French. Each screen module registers its own messages
 * (en and fr with the same keys: a test checks it); `t` falls back to English, then to the key.
 */
export const LANGUAGES = ['en', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];
export type Messages = Record<string, string>;

const catalogues: Record<Language, Messages> = { en: {}, fr: {} };
let language: Language = 'en';

export function registerMessages(messages: Record<Language, Messages>): void {
  for (const lang of LANGUAGES) Object.assign(catalogues[lang], messages[lang]);
}

/** `t('consent.until', {date})`: `{name}` placeholders are replaced by the params, as text. */
export function t(key: string, params: Record<string, string | number> = {}): string {
  const template = catalogues[language][key] ?? catalogues.en[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export function currentLanguage(): Language {
  return language;
}

export function setLanguage(next: Language): void {
  language = next;
  document.documentElement.lang = next;
}

/** Every key of `en` that `fr` lacks, and the reverse (for the catalogue test). */
export function missingTranslations(): string[] {
  const en = Object.keys(catalogues.en);
  const fr = Object.keys(catalogues.fr);
  return [
    ...en.filter((k) => !fr.includes(k)).map((k) => `fr:${k}`),
    ...fr.filter((k) => !en.includes(k)).map((k) => `en:${k}`),
  ];
}

export function formatDate(iso: string): string {
  return new Intl.DateTimeFormat(language === 'fr' ? 'fr-CA' : 'en-CA', { dateStyle: 'medium' }).format(new Date(iso));
}

export function formatDateTime(iso: string): string {
  return new Intl.DateTimeFormat(language === 'fr' ? 'fr-CA' : 'en-CA', {
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(new Date(iso));
}
