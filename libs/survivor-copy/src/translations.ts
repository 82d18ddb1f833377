import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '@harbour/kernel';

/** Where the label files live: one `<language>.json` each (`en.json`, `fr.json`); add a file to add a language. */
export const TRANSLATIONS_DIR = join(projectRoot(), 'libs/survivor-copy/src/translations');
export const ENGLISH = 'en';

export type Labels = Readonly<Record<string, string>>;

/** Every file in the folder, read once at start-up; a malformed one stops the start (fail fast). */
function load(): ReadonlyMap<string, Labels> {
  const files = readdirSync(TRANSLATIONS_DIR).filter((f) => f.endsWith('.json'));
  const all = new Map<string, Labels>();
  for (const file of files) {
    const labels = JSON.parse(readFileSync(join(TRANSLATIONS_DIR, file), 'utf8')) as unknown;
    if (typeof labels !== 'object' || labels === null || Object.values(labels).some((v) => typeof v !== 'string'))
      throw new Error(`translations: ${file} must be an object of strings`);
    all.set(file.slice(0, -'.json'.length).toLowerCase(), labels as Labels);
  }
  if (!all.has(ENGLISH)) throw new Error('translations: en.json is missing');
  return all;
}

export const TRANSLATIONS = load();

/**
 * The first of the candidates (BCP 47 tags, best first) that has a translation, by the whole tag
 * or its language alone (`fr-CA` → `fr`); English when none has.
 */
export function chooseLanguage(...candidates: Array<string | null | undefined>): string {
  for (const tag of candidates) {
    if (!tag) continue;
    const lower = tag.toLowerCase();
    if (TRANSLATIONS.has(lower)) return lower;
    const primary = lower.split('-')[0];
    if (TRANSLATIONS.has(primary)) return primary;
  }
  return ENGLISH;
}

/** "safeToContact" → "safe to contact": the last resort for a label nobody has written yet. */
const humanise = (key: string) =>
  key
    .slice(key.indexOf('.') + 1)
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[.-]/g, ' ')
    .toLowerCase();

/** The words of one language: its labels, English where it has none, and dates and names through Intl. */
export class Words {
  private readonly labels: Labels;
  private readonly english: Labels;
  private readonly day: Intl.DateTimeFormat;
  private readonly moment: Intl.DateTimeFormat;
  private readonly languageNames: Intl.DisplayNames;
  private readonly regionNames: Intl.DisplayNames;

  constructor(readonly language: string) {
    this.english = TRANSLATIONS.get(ENGLISH)!;
    this.labels = TRANSLATIONS.get(language) ?? this.english;
    // Dates in UTC, as recorded: the same day for every reader of the copy.
    this.day = new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: 'UTC' });
    this.moment = new Intl.DateTimeFormat(language, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' });
    this.languageNames = new Intl.DisplayNames([language], { type: 'language', fallback: 'code' });
    this.regionNames = new Intl.DisplayNames([language], { type: 'region', fallback: 'code' });
  }

  has(key: string): boolean {
    return key in this.labels || key in this.english;
  }

  /** The label, with `{name}` filled from `vars` (values are not scanned again). */
  t(key: string, vars: Record<string, string | number> = {}): string {
    const template = this.labels[key] ?? this.english[key] ?? humanise(key);
    return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
  }

  date(iso: string): string {
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? iso : this.day.format(d);
  }

  dateTime(iso: string): string {
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? iso : `${this.moment.format(d)} UTC`;
  }

  languageName(tag: string): string {
    try {
      return this.languageNames.of(tag) ?? tag;
    } catch {
      return tag;
    }
  }

  regionName(code: string): string {
    try {
      return this.regionNames.of(code) ?? code;
    } catch {
      return code;
    }
  }
}
