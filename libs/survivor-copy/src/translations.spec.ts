import storage from 'class-transformer/cjs/storage.js';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import { CONSENT_METHODS, SECTIONS } from '@harbour/consent';
import { SECTION_DTOS } from '@harbour/intake';
import { DECLINE_REASONS, REFERRAL_STATES } from '@harbour/referrals';
import { NEED_CATEGORIES, PURPOSES, SECTORS, URGENCIES } from '@harbour/vocabulary';
import type { SurvivorCopy } from './copy.js';
import { copyHtml } from './html.js';
import { chooseLanguage, ENGLISH, TRANSLATIONS, Words } from './translations.js';

type Schema = {
  properties?: Record<string, Schema>;
  items?: Schema;
  enum?: unknown[];
  $ref?: string;
  allOf?: Schema[];
};

/** Every property name and enum value of the section DTOs, nested objects included. */
function sectionVocabulary(): { fields: Set<string>; values: Set<string> } {
  const schemas = validationMetadatasToSchemas({
    refPointerPrefix: '#/components/schemas/',
    classTransformerMetadataStorage: storage.defaultMetadataStorage,
  }) as Record<string, Schema>;
  const fields = new Set<string>();
  const values = new Set<string>();
  const seen = new Set<string>();
  const walk = (s: Schema | undefined) => {
    if (!s) return;
    if (s.$ref) {
      const name = s.$ref.replace('#/components/schemas/', '');
      if (seen.has(name)) return;
      seen.add(name);
      return walk(schemas[name]);
    }
    for (const v of s.enum ?? []) if (typeof v === 'string' && !/^[\d+-]+$/.test(v)) values.add(v);
    for (const [name, p] of Object.entries(s.properties ?? {})) {
      fields.add(name);
      walk(p);
    }
    walk(s.items);
    for (const a of s.allOf ?? []) walk(a);
  };
  for (const dto of Object.values(SECTION_DTOS)) walk({ $ref: `#/components/schemas/${dto.name}` });
  return { fields, values };
}

describe("the survivor's copy: translations", () => {
  const en = TRANSLATIONS.get(ENGLISH)!;

  it('ships English and French, and every English key exists in every other language', () => {
    expect([...TRANSLATIONS.keys()].sort()).toEqual(expect.arrayContaining(['en', 'fr']));
    for (const [language, labels] of TRANSLATIONS) {
      const missing = Object.keys(en).filter((key) => !(key in labels));
      expect({ language, missing }).toEqual({ language, missing: [] });
      for (const [key, text] of Object.entries(labels))
        expect({ key, empty: text.trim() === '' }).toEqual({ key, empty: false });
    }
  });

  it('labels every section, field and value of the record, and every word the copy prints', () => {
    const { fields, values } = sectionVocabulary();
    expect(fields.size).toBeGreaterThan(60);
    const needed = [
      ...SECTIONS.map((s) => `section.${s}`),
      ...[...fields].map((f) => `field.${f}`),
      ...[...values, ...NEED_CATEGORIES, ...URGENCIES, 'true', 'false'].map((v) => `value.${v}`),
      ...PURPOSES.map((p) => `purpose.${p}`),
      ...SECTORS.map((s) => `sector.${s}`),
      ...CONSENT_METHODS.map((m) => `method.${m}`),
      ...REFERRAL_STATES.map((s) => `state.${s}`),
      ...DECLINE_REASONS.map((r) => `decline.${r}`),
      ...['care-team', 'consent', 'break-glass'].map((b) => `basis.${b}`),
      ...['in-force', 'revoked', 'ended', 'not-started'].map((s) => `consent.state.${s}`),
    ];
    expect(needed.filter((key) => !(key in en))).toEqual([]);
  });

  it('chooses the asked language, then the preferred one, by whole tag or language alone, else English', () => {
    expect(chooseLanguage('fr', 'en')).toBe('fr');
    expect(chooseLanguage('fr-CA')).toBe('fr');
    expect(chooseLanguage(undefined, 'FR-ca')).toBe('fr');
    expect(chooseLanguage('tl', 'fr')).toBe('fr');
    expect(chooseLanguage('tl', 'pt-BR')).toBe('en');
    expect(chooseLanguage()).toBe('en');
  });

  it('fills labels without reading placeholders out of the values', () => {
    const words = new Words('fr');
    expect(words.t('consent.revoked', { date: '{date}' })).toBe("Vous l'avez retiré le {date}.");
    expect(words.t('no.such.key')).toBe('such key');
  });

  it('escapes every value on the printed page, names included', () => {
    const evil = '<img src=x onerror=alert(1)>';
    const copy: SurvivorCopy = {
      survivorId: 's-1',
      generatedAt: '2026-11-02T09:00:00.000Z',
      language: 'en',
      record: { version: 3, sections: { identity: { preferredName: evil, nationality: 'PH' } }, withheld: [] },
      consents: [],
      exclusions: [
        {
          exclusionId: 'x-1',
          target: { kind: 'staff', userId: 'u-1', name: evil },
          method: 'verbal',
          language: 'en',
          recordedAt: '2026-11-01T09:00:00.000Z',
          agency: { agencyId: 'a-1', name: evil },
          lifted: null,
        },
      ],
      referrals: [],
      disclosures: [
        {
          agency: { agencyId: 'a-1', name: evil },
          reads: 1,
          firstSeen: '2026-11-01T09:00:00.000Z',
          lastSeen: '2026-11-01T09:00:00.000Z',
          entries: [
            { at: '2026-11-01T09:00:00.000Z', role: evil, sections: ['identity'], purpose: evil, basis: ['consent'] },
          ],
        },
      ],
    };
    const html = copyHtml(copy, new Words('en'));
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('Philippines');
    expect(html).toContain('A staff member');
  });
});
