/** Privacy officer: one survivor's trail (every access, newest first) and who has seen the record, by agency. */
import { api } from '../../api.js';
import { type Child, h } from '../../dom.js';
import { formatDate, t } from '../../i18n.js';
import type { Screen } from '../../screen.js';
import { empty, hashWith, link, staleness, table } from '../oversight-kit.js';
import { trailTable } from './trail-table.js';
import { PRIVACY_ROLES, type TrailPage } from './vocabulary.js';

interface DisclosureReport {
  survivorId: string;
  agencies: {
    agencyId: string | null;
    agencyName: string;
    reads: number;
    firstSeen: string;
    lastSeen: string;
    sections: string[];
    purposes: string[];
    summary: string;
  }[];
}

export const survivorTrailScreen: Screen = {
  route: '#/privacy/survivors/:survivorId',
  title: 'privacy.trail.title',
  roles: PRIVACY_ROLES,
  async render(ctx) {
    const survivorId = ctx.params.survivorId;
    const cursor = ctx.query.get('cursor') ?? undefined;
    const [{ body: page, headers }, { body: report }] = await Promise.all([
      api.get<TrailPage>('/v1/audit/access-events', { query: { survivorId, cursor, limit: 50 } }),
      api.get<DisclosureReport>(`/v1/audit/survivors/${encodeURIComponent(survivorId)}/disclosures`),
    ]);
    const here = `#/privacy/survivors/${survivorId}`;
    const parts: Child[] = [
      h('p', {}, t('privacy.trail.intro'), ' ', h('code', {}, survivorId)),
      h('p', {}, link(hashWith('#/privacy/access-log', { survivorId }), t('privacy.trail.filter-link'))),
      h('h2', {}, t('privacy.trail.by-agency')),
      report.agencies.length === 0
        ? empty(t('privacy.trail.no-disclosures'))
        : table(
            t('privacy.trail.by-agency'),
            [
              t('privacy.col.agency'),
              t('privacy.col.reads'),
              t('privacy.col.period'),
              t('privacy.col.sections'),
              t('privacy.col.purpose'),
            ],
            report.agencies.map((a) => [
              a.agencyName,
              a.reads,
              `${formatDate(a.firstSeen)} – ${formatDate(a.lastSeen)}`,
              a.sections.join(', '),
              a.purposes.map((p) => t(`purpose.${p}`)).join(', '),
            ]),
            { rowHeader: true },
          ),
      h('h2', {}, t('privacy.trail.events')),
      staleness(headers),
      page.items.length === 0 ? empty(t('privacy.trail.none')) : trailTable(t('privacy.trail.events'), page.items),
      h(
        'nav',
        { 'aria-label': t('privacy.paging'), class: 'paging' },
        cursor ? link(here, t('privacy.first-page')) : null,
        page.nextCursor ? link(hashWith(here, { cursor: page.nextCursor }), t('privacy.older')) : null,
      ),
    ];
    return parts;
  },
};
