/** Privacy officer: flags raised on unusual access, and resolving them with a conclusion. */
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
  staleness,
  submit,
  textarea,
  value,
  when,
} from '../oversight-kit.js';
import { FLAG_RESOLUTIONS, type Flag, PRIVACY_ROLES } from './vocabulary.js';

const STATUSES = ['open', 'resolved', 'all'] as const;

function details(flag: Flag): string {
  return Object.entries(flag.details)
    .filter(([, v]) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join(' · ');
}

function resolveForm(ctx: ScreenContext, flag: Flag, status: string): HTMLElement {
  return form(
    ctx,
    { label: t('privacy.flags.resolve-of', { rule: t(`rule.${flag.rule}`) }), busyLabel: t('privacy.flags.resolving') },
    [
      field(
        t('privacy.flags.resolution'),
        select('resolution', FLAG_RESOLUTIONS, { label: (r) => t(`resolution.${r}`) }),
        { required: true },
      ),
      field(t('privacy.flags.note'), textarea('note'), { required: true, hint: t('privacy.hint.flag-note') }),
      submit(t('privacy.flags.resolve')),
    ],
    async (f) => {
      await api.post(`/v1/audit/flags/${encodeURIComponent(flag.flagId)}/resolution`, {
        resolution: value(f, 'resolution'),
        note: value(f, 'note'),
      });
      ctx.announce(t('privacy.flags.resolved-done'));
      ctx.navigate(hashWith('#/privacy/flags', { status, done: flag.flagId }));
    },
  );
}

export const flagsScreen: Screen = {
  route: '#/privacy/flags',
  title: 'privacy.flags.title',
  nav: { roles: PRIVACY_ROLES, order: 41 },
  roles: PRIVACY_ROLES,
  async render(ctx) {
    const status = ctx.query.get('status') ?? 'open';
    const cursor = ctx.query.get('cursor') ?? undefined;
    const { body, headers } = await api.get<{ items: Flag[]; nextCursor: string | null }>('/v1/audit/flags', {
      query: { status, cursor, limit: 25 },
    });
    const cards: Child[] = body.items.map((flag) =>
      h(
        'li',
        { class: 'card' },
        h(
          'h2',
          {},
          t(`rule.${flag.rule}`),
          ' ',
          h('span', { class: `badge status-${flag.status}` }, t(`flag-status.${flag.status}`)),
        ),
        h(
          'dl',
          { class: 'facts' },
          h('dt', {}, t('privacy.flags.raised')),
          h('dd', {}, when(flag.raisedAt)),
          h('dt', {}, t('privacy.flags.staff')),
          h('dd', {}, h('code', {}, flag.userId), ' · ', shortId(flag.agencyId)),
          h('dt', {}, t('privacy.col.survivor')),
          h(
            'dd',
            {},
            flag.survivorId ? link(`#/privacy/survivors/${flag.survivorId}`, shortId(flag.survivorId)) : t('kit.none'),
          ),
          h('dt', {}, t('privacy.flags.details')),
          h('dd', {}, details(flag) || t('kit.none')),
          flag.resolution
            ? [
                h('dt', {}, t('privacy.flags.resolution')),
                h(
                  'dd',
                  {},
                  t(`resolution.${flag.resolution}`),
                  ' · ',
                  flag.note ?? '',
                  ' · ',
                  h('code', {}, flag.resolvedBy ?? ''),
                  ' · ',
                  when(flag.resolvedAt),
                ),
              ]
            : null,
        ),
        flag.status === 'open' ? resolveForm(ctx, flag, status) : null,
      ),
    );
    return [
      h('p', {}, t('privacy.flags.intro')),
      h(
        'nav',
        { 'aria-label': t('privacy.flags.which'), class: 'tabs' },
        STATUSES.map((s) =>
          link(
            hashWith('#/privacy/flags', { status: s }),
            t(`flag-filter.${s}`),
            s === status ? { 'aria-current': 'page' } : {},
          ),
        ),
      ),
      staleness(headers),
      cards.length === 0
        ? empty(t(status === 'open' ? 'privacy.flags.none-open' : 'privacy.flags.none'))
        : h('ul', { class: 'card-list wide' }, cards),
      body.nextCursor
        ? h(
            'nav',
            { 'aria-label': t('privacy.paging'), class: 'paging' },
            link(hashWith('#/privacy/flags', { status, cursor: body.nextCursor }), t('privacy.older')),
          )
        : null,
    ];
  },
};
