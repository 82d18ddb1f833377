/** Agency admin: the service directory, with my agency's own services to edit or withdraw. */
import { api } from '../../api.js';
import { h } from '../../dom.js';
import { t } from '../../i18n.js';
import type { Screen } from '../../screen.js';
import { empty, hashWith, link, table } from '../oversight-kit.js';
import { ADMIN_ROLES, type ServiceView } from './vocabulary.js';

interface ServicePage {
  items: ServiceView[];
  page: number;
  pageSize: number;
  total: number;
}

export const servicesScreen: Screen = {
  route: '#/admin/services',
  title: 'admin.services.title',
  nav: { roles: ADMIN_ROLES, order: 63 },
  roles: ADMIN_ROLES,
  async render(ctx) {
    const page = Math.max(1, Number(ctx.query.get('page') ?? '1') || 1);
    const { body } = await api.get<ServicePage>('/v1/directory/services', { query: { page, pageSize: 20 } });
    const pages = Math.max(1, Math.ceil(body.total / body.pageSize));
    const canList = ctx.user.roles.includes('agency-admin');
    return [
      h('p', {}, t('admin.services.intro')),
      canList ? h('p', {}, link('#/admin/services/new', t('admin.services.new'), { class: 'button' })) : null,
      body.items.length === 0
        ? empty(t('admin.services.none'))
        : table(
            t('admin.services.caption', { page, pages }),
            [
              t('admin.service.name'),
              t('admin.service.agency'),
              t('admin.service.needs'),
              t('admin.service.regions'),
              t('admin.service.accepting'),
            ],
            body.items.map((s) => [
              s.agencyId === ctx.user.agencyId && canList ? link(`#/admin/services/${s.serviceId}`, s.name) : s.name,
              s.agencyId === ctx.user.agencyId ? t('admin.services.mine', { name: s.agencyName }) : s.agencyName,
              s.needs.map((n) => t(`need.${n}`)).join(', '),
              s.regions.join(', '),
              t(s.acceptingReferrals ? 'admin.yes' : 'admin.no'),
            ]),
            { rowHeader: true },
          ),
      h(
        'nav',
        { 'aria-label': t('admin.paging'), class: 'paging' },
        page > 1 ? link(hashWith('#/admin/services', { page: String(page - 1) }), t('admin.previous')) : null,
        h('span', {}, t('admin.page-of', { page, pages })),
        page < pages ? link(hashWith('#/admin/services', { page: String(page + 1) }), t('admin.next')) : null,
      ),
    ];
  },
};
