/** Network admin: notices to my agency (removal motions, votes called, outcomes), and voting on them. */
import { api } from '../../api.js';
import { type Child, h } from '../../dom.js';
import { t } from '../../i18n.js';
import type { Screen, ScreenContext } from '../../screen.js';
import { empty, field, form, link, redraw, region, select, shortId, submit, value, when } from '../oversight-kit.js';
import { ADMIN_ROLES, type AgencyNotification } from './vocabulary.js';

function voteForm(ctx: ScreenContext, n: AgencyNotification, refresh: () => Promise<void>): HTMLElement {
  const path = `/v1/agencies/${encodeURIComponent(n.subjectAgencyId)}/removal-motions/${encodeURIComponent(n.motionId ?? '')}`;
  const heading = t('admin.vote.heading');
  return h(
    'div',
    { class: 'inline-actions' },
    form(
      ctx,
      { label: heading, busyLabel: t('admin.vote.busy'), className: 'form inline' },
      [
        field(t('admin.vote.label'), select('vote', ['for', 'against'], { label: (v) => t(`admin.vote.${v}`) })),
        submit(t('admin.vote.submit')),
      ],
      async (f) => {
        await api.post(`${path}/votes`, { vote: value(f, 'vote') });
        ctx.announce(t('admin.vote.done'));
        await refresh();
      },
    ),
    form(
      ctx,
      { label: t('admin.close.heading'), busyLabel: t('admin.close.heading'), className: 'form inline' },
      [h('button', { type: 'submit' }, t('admin.close.submit'))],
      async () => {
        await api.post(`${path}/close`);
        ctx.announce(t('admin.close.done'));
        await refresh();
      },
    ),
  );
}

async function draw(ctx: ScreenContext, target: HTMLElement): Promise<Child> {
  const { body } = await api.get<AgencyNotification[]>('/v1/agencies/mine/notifications');
  if (body.length === 0) return empty(t('admin.motions.none'));
  const refresh = () => redraw(target, () => draw(ctx, target));
  return h(
    'ul',
    { class: 'card-list wide' },
    body.map((n) =>
      h(
        'li',
        { class: 'card' },
        h('h2', {}, t(`notice.${n.kind}`)),
        h(
          'p',
          {},
          t('admin.motions.about'),
          ' ',
          link(`#/admin/agencies/${n.subjectAgencyId}`, shortId(n.subjectAgencyId)),
          ' · ',
          when(n.createdAt),
        ),
        n.motionId ? h('p', {}, t('admin.motions.motion'), ' ', shortId(n.motionId)) : null,
        n.motionId && n.kind === 'removal-motion-vote-called' ? voteForm(ctx, n, refresh) : null,
      ),
    ),
  );
}

export const motionsScreen: Screen = {
  route: '#/admin/motions',
  title: 'admin.motions.title',
  nav: { roles: ADMIN_ROLES, order: 61 },
  roles: ADMIN_ROLES,
  async render(ctx) {
    const target = region(t('admin.motions.title'));
    await redraw(target, () => draw(ctx, target));
    return [h('p', {}, t('admin.motions.intro')), target];
  },
};
