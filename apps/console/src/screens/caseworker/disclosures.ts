/**
 * The disclosure report for the survivor: GET /v1/audit/survivors/:id/disclosures — who saw the
 * record, when, which sections and why, by agency. A print-friendly page: the print stylesheet
 * hides the console's navigation and buttons; "Print" calls window.print().
 */
import { api } from '../../api.js';
import { h } from '../../dom.js';
import { t } from '../../i18n.js';
import type { Screen } from '../../screen.js';
import { dateTime, empty, facts, shortId, table, word, words } from './common.js';
import { recordLinks } from './record.js';
import { WORKER_ROLES } from './vocab.js';

interface DisclosureReport {
  survivorId: string;
  generatedAt: string;
  title: string;
  introduction: string;
  agencies: {
    agencyId: string | null;
    agencyName: string;
    reads: number;
    firstSeen: string;
    lastSeen: string;
    sections: string[];
    purposes: string[];
    summary: string;
    entries: {
      at: string;
      role: string | null;
      sections: string[];
      purpose: string;
      basis: string[];
      sentence: string;
    }[];
  }[];
  shareCodes: { at: string; agencyName: string; sections: string[]; purposes: string[]; sentence: string }[];
}

export const disclosuresScreen: Screen = {
  route: '#/records/:intakeId/disclosures',
  title: 'cw.disclosures.title',
  roles: WORKER_ROLES,
  async render(ctx) {
    const survivorId = ctx.params.intakeId;
    const { body } = await api.get<DisclosureReport>(`/v1/audit/survivors/${survivorId}/disclosures`);
    return [
      h('div', { class: 'no-print' }, recordLinks(survivorId)),
      h(
        'p',
        { class: 'no-print actions' },
        h(
          'button',
          { type: 'button', class: 'button primary', onclick: () => window.print() },
          t('cw.disclosures.print'),
        ),
      ),
      h(
        'article',
        { class: 'printable disclosure-report' },
        h('p', {}, t('cw.disclosures.for'), ' ', shortId(survivorId)),
        h('p', {}, t('cw.disclosures.generated', { at: dateTime(body.generatedAt) })),
        h('p', {}, t('cw.disclosures.intro')),
        body.agencies.length === 0 ? empty('cw.disclosures.empty') : null,
        body.agencies.map((a) =>
          h(
            'section',
            { class: 'agency-disclosures' },
            h('h2', {}, a.agencyName),
            facts([
              [t('cw.disclosures.reads'), String(a.reads)],
              [t('cw.disclosures.between'), `${dateTime(a.firstSeen)} – ${dateTime(a.lastSeen)}`],
              [t('cw.consent.sections'), words('section', a.sections)],
              [t('cw.consent.purposes'), words('purpose', a.purposes)],
            ]),
            table(
              t('cw.disclosures.readsBy', { agency: a.agencyName }),
              [
                t('cw.disclosures.when'),
                t('cw.disclosures.role'),
                t('cw.consent.sections'),
                t('cw.disclosures.purpose'),
                t('cw.disclosures.basis'),
              ],
              a.entries.map((e) => [
                dateTime(e.at),
                e.role ? word('role', e.role) : '—',
                words('section', e.sections),
                word('purpose', e.purpose),
                words('basis', e.basis),
              ]),
            ),
          ),
        ),
        body.shareCodes.length
          ? h(
              'section',
              {},
              h('h2', {}, t('cw.disclosures.shareCodes')),
              table(
                t('cw.disclosures.shareCodes'),
                [
                  t('cw.disclosures.when'),
                  t('cw.newReferral.agency'),
                  t('cw.consent.sections'),
                  t('cw.consent.purposes'),
                ],
                body.shareCodes.map((s) => [
                  dateTime(s.at),
                  s.agencyName,
                  words('section', s.sections),
                  words('purpose', s.purposes),
                ]),
              ),
            )
          : null,
      ),
    ];
  },
};
