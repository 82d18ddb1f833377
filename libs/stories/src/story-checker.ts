/**
 * The impact-story checker: which kinds of the record's own values a draft contains. Pure; it
 * reports kinds only (never the values found). Both sides are normalised the same way: Unicode
 * NFKD with diacritics removed, lower case, every run of other characters a single space; so
 * "José" matches "jose", and "2001-04-03", "03/04/2001" and "3 April 2001" are one date.
 */

/** What a story may not contain, by where the value came from. */
export const IDENTIFYING_KINDS = ['identity', 'contact', 'dependants', 'date', 'place'] as const;
export type IdentifyingKind = (typeof IDENTIFYING_KINDS)[number];

export const normalise = (text: string): string =>
  ` ${text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()} `;

const MONTHS = [
  ['january', 'jan', 'janvier', 'enero'],
  ['february', 'feb', 'fevrier', 'febrero'],
  ['march', 'mar', 'mars', 'marzo'],
  ['april', 'apr', 'avril', 'abril'],
  ['may', 'mai', 'mayo'],
  ['june', 'jun', 'juin', 'junio'],
  ['july', 'jul', 'juillet', 'julio'],
  ['august', 'aug', 'aout', 'agosto'],
  ['september', 'sep', 'sept', 'septembre', 'septiembre'],
  ['october', 'oct', 'octobre', 'octubre'],
  ['november', 'nov', 'novembre', 'noviembre'],
  ['december', 'dec', 'decembre', 'diciembre'],
];

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:$|T)/;

/** Every way the story might write this calendar date, normalised. */
export function dateForms(iso: string): string[] {
  const m = ISO_DATE.exec(iso);
  if (!m) return [];
  const [, y, mm, dd] = m;
  const d = String(Number(dd));
  const mo = String(Number(mm));
  const forms = [
    `${y} ${mm} ${dd}`,
    `${dd} ${mm} ${y}`,
    `${mm} ${dd} ${y}`,
    `${d} ${mo} ${y}`,
    `${mo} ${d} ${y}`,
    `${y} ${mo} ${d}`,
  ];
  for (const name of MONTHS[Number(mm) - 1] ?? []) {
    forms.push(`${d} ${name} ${y}`, `${dd} ${name} ${y}`, `${name} ${d} ${y}`, `${name} ${dd} ${y}`);
    forms.push(`${d} de ${name} de ${y}`, `${d}st ${name} ${y}`, `${d}nd ${name} ${y}`, `${d}rd ${name} ${y}`);
    forms.push(`${d}th ${name} ${y}`, `${name} ${d}st ${y}`, `${name} ${d}nd ${y}`, `${name} ${d}rd ${y}`);
    forms.push(`${name} ${d}th ${y}`);
  }
  return [...new Set(forms.map((f) => ` ${f} `))];
}

const PLACE_KEYS = new Set(['address', 'line1', 'line2', 'street', 'city', 'postalCode', 'placeOfBirth', 'town']);
const NAME_KEY = /name/i;

interface Found {
  values: Map<IdentifyingKind, Set<string>>;
}

function add(found: Found, kind: IdentifyingKind, form: string) {
  // Values under three letters or digits (codes like "PH", "ON") would match ordinary words.
  if (form.replace(/[ #]/g, '').length < 3) return;
  let set = found.values.get(kind);
  if (!set) found.values.set(kind, (set = new Set()));
  set.add(form);
}

/** Walks one section's content, collecting what a story may not repeat. */
function collect(found: Found, kind: IdentifyingKind | null, value: unknown, key: string, inPlace: boolean) {
  if (typeof value === 'string') {
    const dates = dateForms(value);
    if (dates.length) {
      for (const f of dates) add(found, 'date', f);
      return;
    }
    const form = normalise(value);
    const place = inPlace || PLACE_KEYS.has(key);
    if (place) add(found, 'place', form);
    if (kind) {
      add(found, kind, form);
      // A part of a name identifies too ("Maria" of "Maria Santos").
      if (NAME_KEY.test(key)) for (const part of form.trim().split(' ')) add(found, kind, ` ${part} `);
      // Phone numbers are compared by their last seven digits, however the story writes them.
      const digits = value.replace(/\D/g, '');
      if (digits.length >= 7 && /^[\d\s()+.-]+$/.test(value)) add(found, kind, `#${digits.slice(-7)}`);
    }
    return;
  }
  if (Array.isArray(value)) for (const v of value) collect(found, kind, v, key, inPlace);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) collect(found, kind, v, k, inPlace || PLACE_KEYS.has(k));
}

/**
 * The kinds of the record's values found in the text: identity, contact and dependants values
 * (any of them), and exact dates and places from any section.
 */
export function identifyingKinds(text: string, sections: Partial<Record<string, unknown>>): IdentifyingKind[] {
  const found: Found = { values: new Map() };
  for (const [section, content] of Object.entries(sections)) {
    const kind = section === 'identity' || section === 'contact' || section === 'dependants' ? section : null;
    collect(found, kind, content, section, false);
  }
  const haystack = normalise(text);
  const digits = text.replace(/\D/g, '');
  return IDENTIFYING_KINDS.filter((kind) =>
    [...(found.values.get(kind) ?? [])].some((form) =>
      form.startsWith('#') ? digits.includes(form.slice(1)) : haystack.includes(form),
    ),
  );
}
