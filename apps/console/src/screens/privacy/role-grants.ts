/** Privacy officer: grants of case roles and appointments of agency admins, newest first. */
import { api } from '../../api.js';
import { h } from '../../dom.js';
import { t } from '../../i18n.js';
import type { Screen } from '../../screen.js';
import { empty, shortId, table, when } from '../oversight-kit.js';
import { PRIVACY_ROLES } from './vocabulary.js';

interface Grant {
  agencyId: string;
  userId: string;
  roles: string[];
  grantedBy: string;
  grantedAt: string;
}

export const roleGrantsScreen: Screen = {
  route: '#/privacy/role-grants',
  title: 'privacy.grants.title',
  nav: { roles: PRIVACY_ROLES, order: 44 },
  roles: PRIVACY_ROLES,
  async render() {
    const { body } = await api.get<{ items: Grant[] }>('/v1/audit/role-grants', { query: { limit: 100 } });
    return [
      h('p', {}, t('privacy.grants.intro')),
      body.items.length === 0
        ? empty(t('privacy.grants.none'))
        : table(
            t('privacy.grants.title'),
            [
              t('privacy.grants.when'),
              t('privacy.grants.who'),
              t('privacy.grants.roles'),
              t('privacy.grants.by'),
              t('privacy.col.agency'),
            ],
            body.items.map((g) => [
              when(g.grantedAt),
              h('code', {}, g.userId),
              g.roles.map((r) => t(`role.${r}`)).join(', '),
              h('code', {}, g.grantedBy),
              shortId(g.agencyId),
            ]),
          ),
    ];
  },
};
