import type { TrailItem } from '../trail/access-trail.queries.js';
import { disclosureCsv, disclosureHtml, disclosureReport } from './disclosure-report.js';

const read = (over: Partial<TrailItem> & { agencyName: string | null }): TrailItem & { agencyName: string | null } => ({
  eventId: 'e',
  position: '1',
  kind: 'read',
  at: '2026-11-02T09:00:00.000Z',
  survivorId: 's-1',
  actor: { userId: 'u-1', agencyId: 'a-1', role: 'caseworker' },
  purpose: 'care-coordination',
  outcome: 'permitted',
  sectionsReturned: ['safety'],
  sectionsWithheld: [],
  basis: [{ section: 'safety', kind: 'care-team' }],
  view: null,
  requestId: 'r',
  route: 'GET /v1/intakes/:survivorId',
  decidedAt: null,
  consentStreamVersion: null,
  clientRequestId: null,
  ...over,
});
const NOW = new Date('2026-11-20T00:00:00.000Z');

describe('disclosure report', () => {
  it('groups by agency and speaks plainly', () => {
    const report = disclosureReport(
      's-1',
      [
        read({ agencyName: 'Shelter' }),
        read({
          agencyName: 'Legal',
          actor: { userId: 'u-2', agencyId: 'a-2', role: 'supervisor' },
          at: '2026-11-03T10:00:00.000Z',
          purpose: 'safety-planning',
          sectionsReturned: ['safety', 'contact'],
          basis: [
            { section: 'safety', kind: 'break-glass', grantId: 'g-1' },
            { section: 'contact', kind: 'break-glass', grantId: 'g-1' },
          ],
        }),
        read({
          agencyName: 'Shelter',
          at: '2026-11-05T10:00:00.000Z',
          sectionsReturned: ['needs'],
          basis: [{ section: 'needs', kind: 'care-team' }],
        }),
      ],
      NOW,
    );
    expect(report.introduction).toMatch(/^2 agencies have seen parts of your record/);
    expect(report.agencies.map((a) => [a.agencyName, a.reads, a.firstSeen, a.lastSeen, a.sections])).toEqual([
      ['Shelter', 2, '2026-11-02T09:00:00.000Z', '2026-11-05T10:00:00.000Z', ['safety', 'needs']],
      ['Legal', 1, '2026-11-03T10:00:00.000Z', '2026-11-03T10:00:00.000Z', ['safety', 'contact']],
    ]);
    expect(report.agencies[1].entries[0].sentence).toBe(
      'On 2026-11-03, a supervisor at Legal saw your safety plan and risks; how to contact you, to plan for your safety, because an emergency, without your consent (a privacy officer reviews every such access).',
    );
    expect(disclosureReport('s-1', [], NOW).introduction).toBe(
      'Nobody outside the system has seen any part of your record yet.',
    );
  });

  it('keeps spreadsheet formulas and markup inert', () => {
    const report = disclosureReport(
      's-1',
      [read({ agencyName: '=HYPERLINK("http://x","<script>alert(1)</script>")' })],
      NOW,
    );
    const csv = disclosureCsv(report);
    expect(csv.split('\n')[1]).toContain(`"'=HYPERLINK(""http://x"",""<script>alert(1)</script>"")"`);
    const html = disclosureHtml(report);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('tells the survivor where their share codes were used, in every format, markup inert', () => {
    const use = {
      codeId: 'c-1',
      at: '2026-11-04T15:00:00.000Z',
      agencyId: 'a-3',
      agencyName: 'Clinic <b>',
      sections: ['needs', 'preferences'],
      purposes: ['care-coordination'],
    };
    const report = disclosureReport('s-1', [], NOW, [use]);
    expect(report.shareCodes).toEqual([
      {
        at: use.at,
        agencyId: 'a-3',
        agencyName: 'Clinic <b>',
        sections: ['needs', 'preferences'],
        purposes: ['care-coordination'],
        sentence:
          'On 2026-11-04, you used your share code at Clinic <b>: it opened what you need help with; your preferences (language, interpreter, supports) to them, to coordinate your care.',
      },
    ]);
    expect(disclosureCsv(report)).toContain('share-code');
    const html = disclosureHtml(report);
    expect(html).toContain('Your share codes');
    expect(html).toContain('Clinic &lt;b&gt;');
    expect(disclosureReport('s-1', [], NOW).shareCodes).toEqual([]);
  });
});
