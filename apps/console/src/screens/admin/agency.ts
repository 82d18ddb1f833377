/** Network admin: one agency, its standing and what may be done about it (admit, endorse, suspend…). */
import { api, newIdempotencyKey } from '../../api.js';
import { type Child, h } from '../../dom.js';
import { formatDate, t } from '../../i18n.js';
import type { Screen, ScreenContext } from '../../screen.js';
import { field, form, link, redraw, region, shortId, submit, textarea, value, when } from '../oversight-kit.js';
import { ADMIN_ROLES, type AgencyView } from './vocabulary.js';

function facts(a: AgencyView): HTMLElement {
  const row = (term: string, detail: Child) => [h('dt', {}, term), h('dd', {}, detail)];
  return h(
    'dl',
    { class: 'facts' },
    row(t('admin.agency.id'), shortId(a.agencyId)),
    row(t('admin.agency.sector'), t(`sector.${a.sector}`)),
    row(t('admin.agency.regions'), a.regions.join(', ')),
    row(t('admin.agency.status'), h('span', { class: `badge status-${a.status}` }, t(`agency-status.${a.status}`))),
    row(
      t('admin.agency.tier'),
      a.tier ? t(`tier.${a.tier}`) : t('admin.agency.requested', { tier: t(`tier.${a.requestedTier}`) }),
    ),
    row(t('admin.agency.endorsements'), a.endorsements),
    row(t('admin.agency.admitted-via'), a.admittedVia ?? t('kit.none')),
    row(t('admin.agency.applied'), formatDate(a.appliedAt)),
    row(t('admin.agency.updated'), when(a.updatedAt)),
  );
}

/** One action: a form with a button (and a reason when the API asks for one). */
function action(
  ctx: ScreenContext,
  heading: string,
  explain: string,
  button: string,
  fields: Child[],
  work: (f: HTMLFormElement) => Promise<void>,
): HTMLElement {
  return h(
    'section',
    { class: 'action', 'aria-label': heading },
    h('h3', {}, heading),
    h('p', {}, explain),
    form(ctx, { label: heading, busyLabel: heading }, [...fields, submit(button)], work),
  );
}

async function draw(ctx: ScreenContext, agencyId: string, target: HTMLElement): Promise<Child[]> {
  const { body: a } = await api.get<AgencyView>(`/v1/agencies/${encodeURIComponent(agencyId)}`);
  const network = ctx.user.roles.includes('network-admin');
  const agencyAdmin = ctx.user.roles.includes('agency-admin');
  const done = async (message: string) => {
    ctx.announce(message);
    await redraw(target, () => draw(ctx, agencyId, target));
  };
  const path = `/v1/agencies/${encodeURIComponent(agencyId)}`;
  const reason = () => field(t('admin.reason'), textarea('reason'), { required: true, hint: t('admin.hint.reason') });
  const actions: Child[] = [];
  if (network && a.status === 'applicant')
    actions.push(
      action(ctx, t('admin.admit.heading'), t('admin.admit.explain'), t('admin.admit.submit'), [], async () => {
        await api.post(`${path}/admission`);
        await done(t('admin.admit.done'));
      }),
    );
  if (agencyAdmin && a.status === 'applicant' && a.agencyId !== ctx.user.agencyId)
    actions.push(
      action(ctx, t('admin.endorse.heading'), t('admin.endorse.explain'), t('admin.endorse.submit'), [], async () => {
        await api.post(`${path}/endorsements`);
        await done(t('admin.endorse.done'));
      }),
    );
  if (network && a.status === 'active')
    actions.push(
      action(
        ctx,
        t('admin.suspend.heading'),
        t('admin.suspend.explain'),
        t('admin.suspend.submit'),
        [reason()],
        async (f) => {
          await api.post(`${path}/suspension`, { reason: value(f, 'reason') });
          await done(t('admin.suspend.done'));
        },
      ),
    );
  if (network && a.status === 'suspended')
    actions.push(
      action(
        ctx,
        t('admin.reinstate.heading'),
        t('admin.reinstate.explain'),
        t('admin.reinstate.submit'),
        [reason()],
        async (f) => {
          await api.post(`${path}/reinstatement`, { reason: value(f, 'reason') });
          await done(t('admin.reinstate.done'));
        },
      ),
    );
  if (agencyAdmin && a.agencyId !== ctx.user.agencyId && (a.status === 'active' || a.status === 'suspended')) {
    const key = newIdempotencyKey();
    actions.push(
      action(
        ctx,
        t('admin.motion.heading'),
        t('admin.motion.explain'),
        t('admin.motion.submit'),
        [
          field(t('admin.motion.reasons'), textarea('reasons', { rows: 4 }), {
            required: true,
            hint: t('admin.hint.reasons'),
          }),
        ],
        async (f) => {
          const reasons = value(f, 'reasons')
            .split('\n')
            .map((s) => s.trim())
            .filter(Boolean);
          await api.post(`${path}/removal-motions`, { reasons }, { idempotencyKey: key });
          await done(t('admin.motion.done'));
        },
      ),
    );
  }
  const staffVisible = network || (agencyAdmin && a.agencyId === ctx.user.agencyId);
  return [
    h('h2', {}, a.name),
    facts(a),
    staffVisible ? h('p', {}, link(`#/admin/staff?agency=${a.agencyId}`, t('admin.agency.staff-link'))) : null,
    h('h2', {}, t('admin.agency.actions')),
    ...(actions.length ? actions : [h('p', { class: 'empty' }, t('admin.agency.no-actions'))]),
  ];
}

export const agencyScreen: Screen = {
  route: '#/admin/agencies/:agencyId',
  title: 'admin.agency.title',
  roles: ADMIN_ROLES,
  async render(ctx) {
    const target = region(t('admin.agency.title'));
    await redraw(target, () => draw(ctx, ctx.params.agencyId, target));
    return [h('p', {}, link('#/admin/agencies', t('admin.back-to-agencies'))), target];
  },
};
