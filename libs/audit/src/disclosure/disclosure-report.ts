import { stringify } from 'csv-stringify/sync';
import escapeHtml from 'escape-html';
import type { TrailItem } from '../trail/access-trail.queries.js';
import type { ShareCodeUse } from './share-code-uses.js';

/** Plain words for the survivor, not system vocabulary. */
const SECTION_WORDS: Record<string, string> = {
  identity: 'who you are (name, identity details)',
  contact: 'how to contact you',
  safety: 'your safety plan and risks',
  immigration: 'your immigration situation',
  health: 'your health',
  legal: 'your legal matters',
  housing: 'your housing',
  income: 'your income and debts',
  dependants: 'your children and dependants',
  story: 'your story',
  needs: 'what you need help with',
  preferences: 'your preferences (language, interpreter, supports)',
};
const PURPOSE_WORDS: Record<string, string> = {
  referral: 'to refer you to a service',
  'care-coordination': 'to coordinate your care',
  'safety-planning': 'to plan for your safety',
  investigation: 'for a police investigation',
  statistics: 'for statistics',
};
const BASIS_WORDS: Record<string, string> = {
  'care-team': 'they work on your case (care team)',
  consent: 'you gave your consent',
  'break-glass': 'an emergency, without your consent (a privacy officer reviews every such access)',
};
const words = (table: Record<string, string>, key: string) => table[key] ?? key;
const day = (iso: string) => iso.slice(0, 10);

export interface DisclosureEntry {
  at: string;
  role: string | null;
  sections: string[];
  purpose: string;
  basis: string[];
  consents: Array<{ consentId: string; version: number }>;
  /** One sentence a survivor can read. */
  sentence: string;
}

export interface AgencyDisclosures {
  agencyId: string | null;
  agencyName: string;
  reads: number;
  firstSeen: string;
  lastSeen: string;
  sections: string[];
  purposes: string[];
  basis: string[];
  summary: string;
  entries: DisclosureEntry[];
}

/** A share code the survivor used: the agency it opened the record to, in their words. */
export interface ShareCodeDisclosure {
  at: string;
  agencyId: string;
  agencyName: string;
  sections: string[];
  purposes: string[];
  sentence: string;
}

export interface DisclosureReport {
  survivorId: string;
  generatedAt: string;
  title: string;
  introduction: string;
  agencies: AgencyDisclosures[];
  shareCodes: ShareCodeDisclosure[];
}

/** "Who has seen my record": every read that returned something, grouped by agency, in plain language. */
export function disclosureReport(
  survivorId: string,
  reads: Array<TrailItem & { agencyName: string | null }>,
  now: Date,
  shareCodeUses: readonly ShareCodeUse[] = [],
): DisclosureReport {
  const groups = new Map<string, AgencyDisclosures>();
  for (const r of reads) {
    const key = r.actor.agencyId ?? 'none';
    const name = r.agencyName ?? 'an agency no longer in the network';
    let g = groups.get(key);
    if (!g) {
      g = {
        agencyId: r.actor.agencyId,
        agencyName: name,
        reads: 0,
        firstSeen: r.at,
        lastSeen: r.at,
        sections: [],
        purposes: [],
        basis: [],
        summary: '',
        entries: [],
      };
      groups.set(key, g);
    }
    const basisKinds = [...new Set(r.basis.map((b) => b.kind))];
    const consents = r.basis.flatMap((b) =>
      b.kind === 'consent' ? [{ consentId: b.consentId, version: b.version }] : [],
    );
    const purpose = r.purpose ?? 'unknown';
    g.reads++;
    g.lastSeen = r.at;
    for (const s of r.sectionsReturned) if (!g.sections.includes(s)) g.sections.push(s);
    if (!g.purposes.includes(purpose)) g.purposes.push(purpose);
    for (const b of basisKinds) if (!g.basis.includes(b)) g.basis.push(b);
    g.entries.push({
      at: r.at,
      role: r.actor.role,
      sections: r.sectionsReturned,
      purpose,
      basis: basisKinds,
      consents: dedupe(consents),
      sentence:
        `On ${day(r.at)}, a ${r.actor.role ?? 'staff member'} at ${name} saw ${r.sectionsReturned.map((s) => words(SECTION_WORDS, s)).join('; ')}, ` +
        `${words(PURPOSE_WORDS, purpose)}, because ${basisKinds.map((b) => words(BASIS_WORDS, b)).join(' and ')}.`,
    });
  }
  const agencies = [...groups.values()].map((g) => ({
    ...g,
    summary:
      `${g.agencyName} saw parts of your record ${g.reads === 1 ? 'once' : `${g.reads} times`} between ${day(g.firstSeen)} and ${day(g.lastSeen)}: ` +
      `${g.sections.map((s) => words(SECTION_WORDS, s)).join('; ')}. Why: ${g.purposes.map((p) => words(PURPOSE_WORDS, p)).join('; ')}. ` +
      `Allowed because ${g.basis.map((b) => words(BASIS_WORDS, b)).join('; ')}.`,
  }));
  return {
    survivorId,
    generatedAt: now.toISOString(),
    title: 'Who has seen your record',
    introduction:
      agencies.length === 0
        ? 'Nobody outside the system has seen any part of your record yet.'
        : `${agencies.length === 1 ? 'One agency has' : `${agencies.length} agencies have`} seen parts of your record. Every time someone reads it, Harbour records who, what, why and on what grounds.`,
    agencies,
    shareCodes: shareCodeUses.map((u) => {
      const agencyName = u.agencyName ?? 'an agency no longer in the network';
      return {
        at: u.at,
        agencyId: u.agencyId,
        agencyName,
        sections: u.sections,
        purposes: u.purposes,
        sentence:
          `On ${day(u.at)}, you used your share code at ${agencyName}: it opened ${u.sections.map((s) => words(SECTION_WORDS, s)).join('; ')} ` +
          `to them, ${u.purposes.map((p) => words(PURPOSE_WORDS, p)).join('; ')}.`,
      };
    }),
  };
}

const dedupe = (list: Array<{ consentId: string; version: number }>) =>
  list.filter((c, i) => list.findIndex((o) => o.consentId === c.consentId && o.version === c.version) === i);

/** One row per read, for a spreadsheet (csv-stringify quotes and escapes). */
export function disclosureCsv(report: DisclosureReport): string {
  const rows = report.agencies.flatMap((g) =>
    g.entries.map((e) => [
      e.at,
      g.agencyName,
      e.role ?? '',
      e.sections.join('; '),
      e.purpose,
      e.basis.join('; '),
      e.consents.map((c) => `${c.consentId} v${c.version}`).join('; '),
      e.sentence,
    ]),
  );
  for (const u of report.shareCodes)
    rows.push([u.at, u.agencyName, '', u.sections.join('; '), u.purposes.join('; '), 'share-code', '', u.sentence]);
  return stringify(rows, {
    header: true,
    columns: ['date', 'agency', 'role', 'sections', 'purpose', 'basis', 'consents', 'in plain words'],
    // A cell a spreadsheet would run as a formula (=, +, -, @, tab, CR first) is kept as text.
    cast: { string: (value) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value) },
  });
}

/** A printable page; every value is HTML-escaped. */
export function disclosureHtml(report: DisclosureReport): string {
  const e = (value: unknown) => escapeHtml(String(value));
  const sections = report.agencies
    .map(
      (g) => `<section>
<h2>${e(g.agencyName)}</h2>
<p>${e(g.summary)}</p>
<table><thead><tr><th>Date</th><th>Role</th><th>What they saw</th><th>Why</th><th>Allowed because</th></tr></thead><tbody>
${g.entries
  .map(
    (x) =>
      `<tr><td>${e(day(x.at))}</td><td>${e(x.role ?? 'staff member')}</td><td>${e(x.sections.map((s) => words(SECTION_WORDS, s)).join('; '))}</td>` +
      `<td>${e(words(PURPOSE_WORDS, x.purpose))}</td><td>${e(x.basis.map((b) => words(BASIS_WORDS, b)).join('; '))}</td></tr>`,
  )
  .join('\n')}
</tbody></table>
</section>`,
    )
    .join('\n');
  const shareCodes = report.shareCodes.length
    ? `<section>
<h2>Your share codes</h2>
<ul>
${report.shareCodes.map((u) => `<li>${e(u.sentence)}</li>`).join('\n')}
</ul>
</section>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${e(report.title)}</title>
<style>body{font-family:sans-serif;max-width:50rem;margin:2rem auto;line-height:1.5}table{border-collapse:collapse;width:100%}td,th{border:1px solid #999;padding:.3rem;text-align:left;vertical-align:top}@media print{section{break-inside:avoid}}</style>
</head><body>
<h1>${e(report.title)}</h1>
<p>${e(report.introduction)}</p>
<p>Prepared on ${e(day(report.generatedAt))}.</p>
${sections}
${shareCodes}
</body></html>
`;
}
