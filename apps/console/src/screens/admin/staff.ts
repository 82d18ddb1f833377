/** Network admin / agency admin: an agency's staff, adding someone, their roles, deactivation. */
import { api, newIdempotencyKey } from '../../api.js';
import { type Child, h } from '../../dom.js';
import { t } from '../../i18n.js';
import type { Screen, ScreenContext } from '../../screen.js';
import {
  checkboxes,
  checkedValues,
  empty,
  field,
  form,
  hashWith,
  input,
  redraw,
  region,
  select,
  submit,
  textarea,
  value,
} from '../oversight-kit.js';
import { ADMIN_ROLES, type AgencyView, ROLES, type StaffView } from './vocabulary.js';

const roleLabel = (r: string) => t(`role.${r}`);

function member(ctx: ScreenContext, s: StaffView, refresh: () => Promise<void>): HTMLElement {
  const path = `/v1/staff/${encodeURIComponent(s.userId)}`;
  const self = s.userId === ctx.user.userId;
  return h(
    'li',
    { class: 'card' },
    h(
      'h3',
      {},
      s.displayName,
      ' ',
      h(
        'span',
        { class: `badge status-${s.active ? 'active' : 'removed'}` },
        t(s.active ? 'admin.staff.active' : 'admin.staff.inactive'),
      ),
    ),
    h('p', {}, s.email, ' · ', h('code', {}, s.userId)),
    form(
      ctx,
      { label: t('admin.staff.roles-of', { name: s.displayName }), busyLabel: t('admin.staff.roles-busy') },
      [
        checkboxes('roles', t('admin.staff.roles-of', { name: s.displayName }), ROLES, s.roles, roleLabel),
        submit(t('admin.staff.roles-submit')),
      ],
      async (f) => {
        await api.put(`${path}/roles`, { roles: checkedValues(f, 'roles') });
        ctx.announce(t('admin.staff.roles-done'));
        await refresh();
      },
    ),
    self
      ? null
      : s.active
        ? form(
            ctx,
            {
              label: t('admin.staff.deactivate', { name: s.displayName }),
              busyLabel: t('admin.staff.deactivate-busy'),
            },
            [
              field(t('admin.reason'), textarea('reason', { rows: 2 }), {
                required: true,
                hint: t('admin.hint.reason'),
              }),
              submit(t('admin.staff.deactivate', { name: s.displayName })),
            ],
            async (f) => {
              await api.post(`${path}/deactivation`, { reason: value(f, 'reason') });
              ctx.announce(t('admin.staff.deactivate-done'));
              await refresh();
            },
          )
        : form(
            ctx,
            { label: t('admin.staff.reactivate', { name: s.displayName }), busyLabel: t('admin.staff.reactivate') },
            [submit(t('admin.staff.reactivate', { name: s.displayName }))],
            async () => {
              await api.post(`${path}/reactivation`);
              ctx.announce(t('admin.staff.reactivate-done'));
              await refresh();
            },
          ),
  );
}

async function list(ctx: ScreenContext, agencyId: string, target: HTMLElement): Promise<Child> {
  const { body } = await api.get<StaffView[]>(`/v1/agencies/${encodeURIComponent(agencyId)}/staff`);
  if (body.length === 0) return empty(t('admin.staff.none'));
  const refresh = () => redraw(target, () => list(ctx, agencyId, target));
  return h(
    'ul',
    { class: 'card-list wide' },
    body.map((s) => member(ctx, s, refresh)),
  );
}

function addForm(ctx: ScreenContext, agencyId: string, target: HTMLElement): HTMLElement {
  const key = { current: newIdempotencyKey() };
  return h(
    'section',
    { 'aria-labelledby': 'add-staff-heading' },
    h('h2', { id: 'add-staff-heading' }, t('admin.staff.add')),
    h('p', {}, t('admin.staff.add-intro')),
    form(
      ctx,
      { label: t('admin.staff.add'), busyLabel: t('admin.staff.add-busy') },
      [
        field(t('admin.staff.display-name'), input('displayName', { autocomplete: 'off' }), { required: true }),
        field(t('admin.staff.email'), input('email', { type: 'email', autocomplete: 'off' }), { required: true }),
        field(t('admin.staff.user-id'), input('userId', { autocomplete: 'off' }), { hint: t('admin.hint.user-id') }),
        checkboxes('roles', t('admin.staff.roles'), ROLES, [], roleLabel),
        submit(t('admin.staff.add-submit')),
      ],
      async (f) => {
        const userId = value(f, 'userId');
        await api.post(
          `/v1/agencies/${encodeURIComponent(agencyId)}/staff`,
          {
            displayName: value(f, 'displayName'),
            email: value(f, 'email'),
            roles: checkedValues(f, 'roles'),
            ...(userId ? { userId } : {}),
          },
          { idempotencyKey: key.current },
        );
        key.current = newIdempotencyKey();
        f.reset();
        ctx.announce(t('admin.staff.add-done'));
        await redraw(target, () => list(ctx, agencyId, target));
      },
    ),
  );
}

export const staffScreen: Screen = {
  route: '#/admin/staff',
  title: 'admin.staff.title',
  nav: { roles: ADMIN_ROLES, order: 62 },
  roles: ADMIN_ROLES,
  async render(ctx) {
    const agencyId = ctx.query.get('agency') || ctx.user.agencyId;
    const parts: Child[] = [h('p', {}, t('admin.staff.intro'))];
    if (ctx.user.roles.includes('network-admin')) {
      const { body: agencies } = await api.get<AgencyView[]>('/v1/agencies');
      const names = new Map(agencies.map((a) => [a.agencyId, a.name]));
      parts.push(
        h(
          'form',
          {
            class: 'filters',
            'aria-label': t('admin.staff.pick'),
            onsubmit: (event: Event) => {
              event.preventDefault();
              const chosen = (event.currentTarget as HTMLFormElement).elements.namedItem('agency') as HTMLSelectElement;
              ctx.navigate(hashWith('#/admin/staff', { agency: chosen.value }));
            },
          },
          field(
            t('admin.staff.agency'),
            select('agency', [...names.keys()], { value: agencyId, label: (id) => names.get(id) ?? id }),
          ),
          h('button', { type: 'submit' }, t('admin.staff.show')),
        ),
      );
    }
    const target = region(t('admin.staff.title'));
    await redraw(target, () => list(ctx, agencyId, target));
    parts.push(target, addForm(ctx, agencyId, target));
    return parts;
  },
};
