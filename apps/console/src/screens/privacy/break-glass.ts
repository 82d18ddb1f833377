/** Privacy officer: the break-glass review queue, the reads made under each, and the finding. */
import { api } from '../../api.js';
import { type Child, h } from '../../dom.js';
import { t } from '../../i18n.js';
import type { Screen, ScreenContext } from '../../screen.js';
import {
  empty,
  field,
  form,
  hashWith,
  link,
  select,
  shortId,
  submit,
  textarea,
  value,
  when,
} from '../oversight-kit.js';
import { trailTable } from './trail-table.js';
import { type BreakGlassGrant, FINDINGS, PRIVACY_ROLES } from './vocabulary.js';

const STATUSES = ['pending', 'reviewed', 'all'] as const;

function reviewForm(ctx: ScreenContext, g: BreakGlassGrant): HTMLElement {
  return form(
    ctx,
    { label: t('privacy.bg.review-of', { id: g.grantId.slice(0, 8) }), busyLabel: t('privacy.bg.reviewing') },
    [
      field(t('privacy.bg.finding'), select('finding', FINDINGS, { label: (f) => t(`finding.${f}`) }), {
        required: true,
      }),
      field(t('privacy.bg.note'), textarea('note'), { required: true, hint: t('privacy.hint.review-note') }),
      submit(t('privacy.bg.review')),
    ],
    async (f) => {
      await api.post(
        `/v1/audit/survivors/${encodeURIComponent(g.survivorId)}/break-glass/${encodeURIComponent(g.grantId)}/review`,
        {
          finding: value(f, 'finding'),
          note: value(f, 'note'),
        },
      );
      ctx.announce(t('privacy.bg.reviewed-done'));
      ctx.navigate(hashWith('#/privacy/break-glass', { status: 'reviewed' }));
    },
  );
}

export const breakGlassScreen: Screen = {
  route: '#/privacy/break-glass',
  title: 'privacy.bg.title',
  nav: { roles: PRIVACY_ROLES, order: 42 },
  roles: PRIVACY_ROLES,
  async render(ctx) {
    const status = ctx.query.get('status') ?? 'pending';
    const { body } = await api.get<{ items: BreakGlassGrant[] }>('/v1/audit/break-glass', { query: { status } });
    const cards: Child[] = body.items.map((g) =>
      h(
        'li',
        { class: 'card' },
        h('h2', {}, t('privacy.bg.grant', { id: g.grantId.slice(0, 8) })),
        h(
          'dl',
          { class: 'facts' },
          h('dt', {}, t('privacy.col.survivor')),
          h('dd', {}, link(`#/privacy/survivors/${g.survivorId}`, shortId(g.survivorId))),
          h('dt', {}, t('privacy.bg.opened-by')),
          h('dd', {}, h('code', {}, g.userId), ' · ', shortId(g.agencyId)),
          h('dt', {}, t('privacy.bg.window')),
          h(
            'dd',
            {},
            `${when(g.openedAt)} → ${when(g.endedAt ?? g.expiresAt)}`,
            g.endReason ? ` (${t(`end.${g.endReason}`)})` : '',
          ),
          h('dt', {}, t('privacy.bg.justification')),
          h('dd', {}, g.justification ?? t('privacy.bg.no-justification')),
          h('dt', {}, t('privacy.bg.finding')),
          h(
            'dd',
            {},
            g.finding ? `${t(`finding.${g.finding}`)} · ${g.reviewerId ?? ''}` : t('privacy.bg.not-reviewed'),
          ),
        ),
        g.reads.length ? trailTable(t('privacy.bg.reads'), g.reads) : empty(t('privacy.bg.no-reads')),
        g.finding ? null : g.endedAt ? reviewForm(ctx, g) : h('p', { class: 'field-hint' }, t('privacy.bg.still-open')),
      ),
    );
    return [
      h('p', {}, t('privacy.bg.intro')),
      h(
        'nav',
        { 'aria-label': t('privacy.bg.which'), class: 'tabs' },
        STATUSES.map((s) =>
          link(
            hashWith('#/privacy/break-glass', { status: s }),
            t(`bg-filter.${s}`),
            s === status ? { 'aria-current': 'page' } : {},
          ),
        ),
      ),
      cards.length === 0
        ? empty(t(status === 'pending' ? 'privacy.bg.none-pending' : 'privacy.bg.none'))
        : h('ul', { class: 'card-list wide' }, cards),
    ];
  },
};
