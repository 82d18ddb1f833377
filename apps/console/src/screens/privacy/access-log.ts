/** Privacy officer: the access log with filters and cursor paging, and where the answer came from. */
import { api } from '../../api.js';
import { type Child, h } from '../../dom.js';
import { t } from '../../i18n.js';
import type { Screen, ScreenContext } from '../../screen.js';
import { empty, field, hashWith, input, link, select, staleness } from '../oversight-kit.js';
import { trailTable } from './trail-table.js';
import { KINDS, OUTCOMES, PRIVACY_ROLES, PURPOSES, type TrailPage } from './vocabulary.js';

const FILTERS = ['survivorId', 'agencyId', 'userId', 'purpose', 'outcome', 'kind', 'from', 'to'] as const;

/** A day typed in the form (yyyy-mm-dd) as the instant the API takes: from its start, to the next day's start. */
function instant(day: string, end: boolean): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const date = new Date(`${day}T00:00:00Z`);
  if (end) date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString();
}

function filterForm(ctx: ScreenContext, current: Record<string, string>): HTMLFormElement {
  return h(
    'form',
    {
      class: 'filters',
      'aria-label': t('privacy.log.filters'),
      onsubmit: (event: Event) => {
        event.preventDefault();
        const f = event.currentTarget as HTMLFormElement;
        const chosen: Record<string, string> = {};
        for (const name of FILTERS) chosen[name] = (f.elements.namedItem(name) as HTMLInputElement).value.trim();
        ctx.navigate(hashWith('#/privacy/access-log', chosen));
      },
    },
    h(
      'fieldset',
      {},
      h('legend', {}, t('privacy.log.filters')),
      field(t('privacy.filter.survivor'), input('survivorId', { value: current.survivorId, autocomplete: 'off' }), {
        hint: t('privacy.hint.uuid'),
      }),
      field(t('privacy.filter.agency'), input('agencyId', { value: current.agencyId, autocomplete: 'off' }), {
        hint: t('privacy.hint.uuid'),
      }),
      field(t('privacy.filter.user'), input('userId', { value: current.userId, autocomplete: 'off' })),
      field(
        t('privacy.filter.purpose'),
        select('purpose', PURPOSES, { any: true, value: current.purpose, label: (p) => t(`purpose.${p}`) }),
      ),
      field(
        t('privacy.filter.outcome'),
        select('outcome', OUTCOMES, { any: true, value: current.outcome, label: (o) => t(`outcome.${o}`) }),
      ),
      field(
        t('privacy.filter.kind'),
        select('kind', KINDS, { any: true, value: current.kind, label: (k) => t(`kind.${k}`) }),
      ),
      field(t('privacy.filter.from'), input('from', { type: 'date', value: current.from })),
      field(t('privacy.filter.to'), input('to', { type: 'date', value: current.to }), { hint: t('privacy.hint.to') }),
    ),
    h(
      'div',
      { class: 'buttons' },
      h('button', { type: 'submit', class: 'primary' }, t('privacy.log.apply')),
      link('#/privacy/access-log', t('privacy.log.clear')),
    ),
  );
}

export const accessLogScreen: Screen = {
  route: '#/privacy/access-log',
  title: 'privacy.log.title',
  nav: { roles: PRIVACY_ROLES, order: 40 },
  roles: PRIVACY_ROLES,
  async render(ctx) {
    const current: Record<string, string> = {};
    for (const name of FILTERS) current[name] = ctx.query.get(name) ?? '';
    const cursor = ctx.query.get('cursor') ?? undefined;
    const { body, headers } = await api.get<TrailPage>('/v1/audit/access-events', {
      query: {
        survivorId: current.survivorId,
        agencyId: current.agencyId,
        userId: current.userId,
        purpose: current.purpose,
        outcome: current.outcome,
        kind: current.kind,
        from: instant(current.from, false),
        to: instant(current.to, true),
        cursor,
        limit: 25,
      },
    });
    const filtered = FILTERS.some((n) => current[n]);
    const parts: Child[] = [
      h('p', {}, t('privacy.log.intro')),
      filterForm(ctx, current),
      staleness(headers),
      body.items.length === 0
        ? empty(t(filtered || cursor ? 'privacy.log.none-filtered' : 'privacy.log.none'))
        : trailTable(t('privacy.log.caption', { count: body.items.length }), body.items),
      h(
        'nav',
        { 'aria-label': t('privacy.paging'), class: 'paging' },
        cursor ? link(hashWith('#/privacy/access-log', current), t('privacy.first-page')) : null,
        body.nextCursor
          ? link(hashWith('#/privacy/access-log', { ...current, cursor: body.nextCursor }), t('privacy.older'))
          : null,
      ),
    ];
    return parts;
  },
};
