/** Network admin: member agencies and applicants, their standing, and an application to join. */
import { api, newIdempotencyKey } from '../../api.js';
import { h } from '../../dom.js';
import { formatDate, t } from '../../i18n.js';
import type { Screen, ScreenContext } from '../../screen.js';
import {
  empty,
  field,
  form,
  hashWith,
  input,
  link,
  listValue,
  redraw,
  region,
  select,
  submit,
  table,
  value,
} from '../oversight-kit.js';
import { ADMIN_ROLES, AGENCY_STATUSES, type AgencyView, SECTORS, TIERS } from './vocabulary.js';

async function agencyList(ctx: ScreenContext, status: string) {
  const { body } = await api.get<AgencyView[]>('/v1/agencies', { query: { status } });
  if (body.length === 0) return empty(t(status ? 'admin.agencies.none-status' : 'admin.agencies.none'));
  return table(
    t('admin.agencies.caption'),
    [
      t('admin.agency.name'),
      t('admin.agency.sector'),
      t('admin.agency.tier'),
      t('admin.agency.status'),
      t('admin.agency.endorsements'),
      t('admin.agency.applied'),
    ],
    body.map((a) => [
      link(`#/admin/agencies/${a.agencyId}`, a.name),
      t(`sector.${a.sector}`),
      a.tier ? t(`tier.${a.tier}`) : t('admin.agency.requested', { tier: t(`tier.${a.requestedTier}`) }),
      h('span', { class: `badge status-${a.status}` }, t(`agency-status.${a.status}`)),
      a.endorsements,
      formatDate(a.appliedAt),
    ]),
    { rowHeader: true },
  );
}

function applyForm(ctx: ScreenContext, list: HTMLElement, status: () => string): HTMLElement {
  const key = { current: newIdempotencyKey() };
  return h(
    'section',
    { 'aria-labelledby': 'apply-heading' },
    h('h2', { id: 'apply-heading' }, t('admin.apply.heading')),
    h('p', {}, t('admin.apply.intro')),
    form(
      ctx,
      { label: t('admin.apply.heading'), busyLabel: t('admin.apply.busy') },
      [
        field(t('admin.agency.name'), input('name', { autocomplete: 'organization' }), { required: true }),
        field(t('admin.agency.sector'), select('sector', SECTORS, { label: (s) => t(`sector.${s}`) }), {
          required: true,
        }),
        field(t('admin.agency.regions'), input('regions'), { hint: t('admin.hint.regions'), required: true }),
        field(t('admin.agency.requested-tier'), select('requestedTier', TIERS, { label: (s) => t(`tier.${s}`) }), {
          required: true,
        }),
        h(
          'fieldset',
          {},
          h('legend', {}, t('admin.apply.contact')),
          field(t('admin.contact.name'), input('contact.name', { autocomplete: 'name' }), { required: true }),
          field(t('admin.contact.email'), input('contact.email', { type: 'email', autocomplete: 'email' }), {
            required: true,
          }),
          field(t('admin.contact.phone'), input('contact.phone', { type: 'tel', autocomplete: 'tel' })),
        ),
        submit(t('admin.apply.submit')),
      ],
      async (f) => {
        const phone = value(f, 'contact.phone');
        await api.post(
          '/v1/agencies',
          {
            name: value(f, 'name'),
            sector: value(f, 'sector'),
            regions: listValue(f, 'regions'),
            requestedTier: value(f, 'requestedTier'),
            contact: { name: value(f, 'contact.name'), email: value(f, 'contact.email'), ...(phone ? { phone } : {}) },
          },
          { idempotencyKey: key.current },
        );
        key.current = newIdempotencyKey();
        f.reset();
        ctx.announce(t('admin.apply.done'));
        await redraw(list, () => agencyList(ctx, status()));
      },
    ),
  );
}

export const agenciesScreen: Screen = {
  route: '#/admin/agencies',
  title: 'admin.agencies.title',
  nav: { roles: ADMIN_ROLES, order: 60 },
  roles: ADMIN_ROLES,
  async render(ctx) {
    const status = ctx.query.get('status') ?? '';
    const list = region(t('admin.agencies.caption'));
    await redraw(list, () => agencyList(ctx, status));
    const filter = h(
      'form',
      {
        class: 'filters',
        'aria-label': t('admin.agencies.filter'),
        onsubmit: (event: Event) => {
          event.preventDefault();
          const chosen = (event.currentTarget as HTMLFormElement).elements.namedItem('status') as HTMLSelectElement;
          ctx.navigate(hashWith('#/admin/agencies', { status: chosen.value }));
        },
      },
      field(
        t('admin.agency.status'),
        select('status', AGENCY_STATUSES, { any: true, value: status, label: (s) => t(`agency-status.${s}`) }),
      ),
      h('button', { type: 'submit' }, t('admin.filter')),
    );
    return [
      h('p', {}, t('admin.agencies.intro')),
      filter,
      list,
      ctx.user.roles.some((r) => ADMIN_ROLES.includes(r)) ? applyForm(ctx, list, () => status) : null,
    ];
  },
};
