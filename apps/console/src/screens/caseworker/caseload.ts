/** My caseload: GET /v1/caseload (opaque ids, what I may see, check-ins, expiring consents, open referrals). */
import { api } from '../../api.js';
import { h } from '../../dom.js';
import { t } from '../../i18n.js';
import type { Screen } from '../../screen.js';
import { date, dateTime, empty, link, pageNumber, pager, shortId, table, word, words } from './common.js';
import { WORKER_ROLES } from './vocab.js';

interface CaseloadView {
  survivors: {
    survivorId: string;
    access: { purpose: string; sections: string[] };
    checkIn: { everyDays: number; nextDueOn: string; status: string; lastHeldOn: string | null } | null;
    consentReviewAsked: boolean;
    consentsExpiring: { consentId: string; version: number; validUntil: string; purposes: string[] }[];
    openReferralIds: string[];
  }[];
  page: number;
  pageSize: number;
  total: number;
  expiringWithinDays: number;
  referrals: {
    incoming: { referralId: string; state: string; respondBy: string; assignedToMe: boolean }[];
    outgoing: { referralId: string; state: string; respondBy: string }[];
  };
}

export const caseloadScreen: Screen = {
  route: '#/caseload',
  title: 'cw.caseload.title',
  nav: { roles: WORKER_ROLES, order: 10 },
  roles: WORKER_ROLES,
  async render(ctx) {
    const page = pageNumber(ctx.query);
    const { body } = await api.get<CaseloadView>('/v1/caseload', { query: { page, pageSize: 20 } });
    const survivors = body.survivors.length
      ? table(
          t('cw.caseload.survivors'),
          [
            t('cw.survivor'),
            t('cw.caseload.maySee'),
            t('cw.caseload.checkIn'),
            t('cw.caseload.expiring'),
            t('cw.caseload.openReferrals'),
          ],
          body.survivors.map((s) => [
            link(`#/records/${s.survivorId}`, shortId(s.survivorId)),
            s.access.sections.length
              ? t('cw.caseload.sectionsFor', {
                  sections: words('section', s.access.sections),
                  purpose: word('purpose', s.access.purpose),
                })
              : t('cw.caseload.noSections'),
            s.checkIn
              ? t('cw.caseload.checkInDue', {
                  status: word('checkIn', s.checkIn.status),
                  date: date(s.checkIn.nextDueOn),
                })
              : t('cw.caseload.noCheckIn'),
            [
              s.consentsExpiring.length
                ? s.consentsExpiring.map((c) =>
                    h(
                      'div',
                      {},
                      t('cw.caseload.expiresOn', { purposes: words('purpose', c.purposes), date: date(c.validUntil) }),
                    ),
                  )
                : '—',
              s.consentReviewAsked ? h('div', { class: 'warning' }, t('cw.caseload.reviewAsked')) : null,
            ],
            String(s.openReferralIds.length),
          ]),
        )
      : empty('cw.caseload.empty');
    const incoming = body.referrals.incoming.length
      ? table(
          t('cw.caseload.incoming'),
          [t('cw.referral'), t('cw.state'), t('cw.respondBy'), t('cw.caseload.assigned')],
          body.referrals.incoming.map((r) => [
            link(`#/referrals/${r.referralId}`, shortId(r.referralId)),
            word('state', r.state),
            dateTime(r.respondBy),
            r.assignedToMe ? t('cw.yes') : t('cw.no'),
          ]),
        )
      : empty('cw.caseload.noIncoming');
    const outgoing = body.referrals.outgoing.length
      ? table(
          t('cw.caseload.outgoing'),
          [t('cw.referral'), t('cw.state'), t('cw.respondBy')],
          body.referrals.outgoing.map((r) => [
            link(`#/referrals/${r.referralId}`, shortId(r.referralId)),
            word('state', r.state),
            dateTime(r.respondBy),
          ]),
        )
      : empty('cw.caseload.noOutgoing');
    return [
      h('p', { class: 'actions' }, link('#/intakes/new', t('cw.intake.new'))),
      h(
        'section',
        { 'aria-labelledby': 'caseload-survivors' },
        h('h2', { id: 'caseload-survivors' }, t('cw.caseload.survivors')),
        h('p', { class: 'hint' }, t('cw.caseload.total', { total: body.total, days: body.expiringWithinDays })),
        survivors,
        pager('#/caseload', body.page, body.pageSize, body.total),
      ),
      h(
        'section',
        { 'aria-labelledby': 'caseload-referrals' },
        h('h2', { id: 'caseload-referrals' }, t('cw.caseload.referrals')),
        incoming,
        outgoing,
      ),
    ];
  },
};
