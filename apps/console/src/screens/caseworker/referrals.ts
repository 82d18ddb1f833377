/**
 * Referrals: suggestions and a new referral for a survivor; the inbox (to my agency) and outbox
 * (from it); one referral with only the actions its state allows. Before acceptance the receiving
 * agency sees the notice only (the API sends nothing else); the console shows what it is sent.
 */
import { api, newIdempotencyKey } from '../../api.js';
import { type Child, h } from '../../dom.js';
import { t } from '../../i18n.js';
import type { Screen, ScreenContext } from '../../screen.js';
import {
  choices,
  dateTime,
  empty,
  facts,
  input,
  link,
  pageNumber,
  pager,
  region,
  select,
  shortId,
  submit,
  table,
  textarea,
  word,
  words,
} from './common.js';
import { recordLinks } from './record.js';
import {
  DECLINE_REASONS,
  FINAL_STATES,
  INTRODUCTION_MODES,
  NEED_CATEGORIES,
  OUTCOMES,
  REFERRAL_STATES,
  URGENCIES,
  WORKER_ROLES,
} from './vocab.js';

interface Suggestions {
  survivorId: string;
  openNeeds: string[];
  agencies: {
    agencyId: string;
    agencyName: string;
    sector: string;
    needs: string[];
    consentId: string;
    services: { serviceId: string; name: string; needs: string[]; languages: string[]; acceptingReferrals: boolean }[];
  }[];
}

export interface ReferralView {
  referralId: string;
  state: string;
  fromAgencyId: string;
  toAgencyId: string;
  toSector: string;
  notice: { needs: string[]; urgency: string; language: string | null; region: string | null; ageBand: string | null };
  respondBy: string;
  requestedAt: string;
  updatedAt: string;
  version: number;
  note?: string;
  assignedCaseworkerId?: string | null;
  declineReason?: string | null;
  outcome?: string | null;
  introduction?: { at: string; mode: string; attendees: string[] } | null;
  survivorId?: string;
}

export const newReferralScreen: Screen = {
  route: '#/records/:intakeId/referral',
  title: 'cw.newReferral.title',
  roles: WORKER_ROLES,
  async render(ctx) {
    const survivorId = ctx.params.intakeId;
    const { body } = await api.get<Suggestions>(`/v1/intakes/${survivorId}/referral-suggestions`);
    const header = [h('p', {}, t('cw.survivor'), ' ', shortId(survivorId)), recordLinks(survivorId)];
    const suggestions = body.agencies.length
      ? table(
          t('cw.newReferral.suggestions'),
          [
            t('cw.newReferral.agency'),
            t('cw.consent.sector'),
            t('cw.newReferral.needsServed'),
            t('cw.newReferral.services'),
          ],
          body.agencies.map((a) => [
            a.agencyName,
            word('sector', a.sector),
            words('need', a.needs),
            h(
              'ul',
              {},
              a.services.map((s) =>
                h(
                  'li',
                  {},
                  s.name,
                  ' — ',
                  words('need', s.needs),
                  s.acceptingReferrals ? null : ` (${t('cw.newReferral.notAccepting')})`,
                ),
              ),
            ),
          ]),
        )
      : empty('cw.newReferral.noSuggestions');
    if (body.agencies.length === 0)
      return [
        ...header,
        h('p', {}, t('cw.newReferral.openNeeds', { needs: words('need', body.openNeeds) || '—' })),
        suggestions,
      ];

    const key = newIdempotencyKey();
    const agency = choices(
      'toAgencyId',
      t('cw.newReferral.to'),
      body.agencies.map((a) => a.agencyId),
      (id) => body.agencies.find((a) => a.agencyId === id)?.agencyName ?? id,
      { radio: true, checked: [body.agencies[0].agencyId] },
    );
    const needs = choices('needs', t('cw.newReferral.needs'), NEED_CATEGORIES, 'need', { checked: body.openNeeds });
    const urgency = select('urgency', t('cw.newReferral.urgency'), URGENCIES, 'urgency', { value: 'medium' });
    const note = textarea('note', t('cw.newReferral.note'), { hint: t('cw.newReferral.noteHint') });
    const regionField = input('region', t('cw.newReferral.region'), 'text', { hint: t('cw.newReferral.regionHint') });
    const form: HTMLFormElement = h(
      'form',
      {
        novalidate: true,
        onsubmit: (event: Event) => {
          event.preventDefault();
          void submit(ctx, form, t('cw.newReferral.sending'), async () => {
            const { body: written } = await api.post<{ referralId: string }>(
              '/v1/referrals',
              {
                survivorId,
                toAgencyId: agency.checked()[0],
                needs: needs.checked(),
                urgency: urgency.control.value,
                note: note.control.value.trim() || undefined,
                region: regionField.control.value.trim() || undefined,
              },
              { idempotencyKey: key },
            );
            ctx.announce(t('cw.newReferral.sent'));
            ctx.navigate(`#/referrals/${written.referralId}`);
          });
        },
      },
      h('p', { class: 'hint' }, t('cw.newReferral.explain')),
      agency.element,
      needs.element,
      urgency.element,
      note.element,
      regionField.element,
      h('button', { type: 'submit', class: 'button primary' }, t('cw.newReferral.send')),
    );
    return [
      ...header,
      h('h2', {}, t('cw.newReferral.suggestions')),
      suggestions,
      h('h2', {}, t('cw.newReferral.make')),
      form,
    ];
  },
};

function listScreen(box: 'inbox' | 'outbox', order: number): Screen {
  return {
    route: `#/${box}`,
    title: `cw.${box}.title`,
    nav: { roles: WORKER_ROLES, order },
    roles: WORKER_ROLES,
    async render(ctx) {
      const page = pageNumber(ctx.query);
      const state = REFERRAL_STATES.includes(ctx.query.get('state') as never) ? (ctx.query.get('state') as string) : '';
      const { body } = await api.get<{ items: ReferralView[]; page: number; pageSize: number; total: number }>(
        `/v1/referrals/${box}`,
        { query: { page, pageSize: 20, state } },
      );
      const filter = select('state', t('cw.state'), REFERRAL_STATES, 'state', { blank: true, value: state });
      const form = h(
        'form',
        {
          class: 'inline-form',
          onsubmit: (event: Event) => {
            event.preventDefault();
            ctx.navigate(`#/${box}${filter.control.value ? `?state=${filter.control.value}` : ''}`);
          },
        },
        filter.element,
        h('button', { type: 'submit', class: 'button secondary' }, t('cw.filter')),
      );
      const rows = body.items.map((r) => [
        link(`#/referrals/${r.referralId}`, shortId(r.referralId)),
        word('state', r.state),
        words('need', r.notice.needs),
        word('urgency', r.notice.urgency),
        dateTime(r.requestedAt),
        dateTime(r.respondBy),
      ]);
      return [
        h('p', { class: 'hint' }, t(`cw.${box}.explain`)),
        form,
        rows.length
          ? table(
              t(`cw.${box}.title`),
              [t('cw.referral'), t('cw.state'), t('cw.needs'), t('cw.urgency'), t('cw.requestedAt'), t('cw.respondBy')],
              rows,
            )
          : empty(`cw.${box}.empty`),
        pager(`#/${box}${state ? `?state=${state}` : ''}`, body.page, body.pageSize, body.total),
      ];
    },
  };
}

export const inboxScreen = listScreen('inbox', 30);
export const outboxScreen = listScreen('outbox', 40);

/** The actions this referral's state allows to this side (the API decides again on every one). */
export function allowedActions(r: ReferralView, agencyId: string): string[] {
  const receiving = r.toAgencyId === agencyId;
  const actions: string[] = [];
  if (receiving && r.state === 'requested') actions.push('acknowledge');
  if (receiving && r.state === 'acknowledged') actions.push('accept', 'decline');
  if (r.state === 'accepted' || r.state === 'introduction-scheduled') actions.push('introduce');
  if (r.state === 'introduction-scheduled') actions.push('confirm');
  if (r.state === 'handoff-completed') actions.push('close');
  if (!(FINAL_STATES as readonly string[]).includes(r.state)) actions.push('withdraw');
  return actions;
}

function actionForm(ctx: ScreenContext, r: ReferralView, action: string, done: () => void): HTMLElement {
  const path = {
    acknowledge: 'acknowledgement',
    accept: 'acceptance',
    decline: 'decline',
    introduce: 'introduction',
    confirm: 'handoff-confirmation',
    close: 'closure',
    withdraw: 'withdrawal',
  }[action];
  let fields: HTMLElement[] = [];
  let body: () => unknown = () => undefined;
  if (action === 'accept') {
    const assignee = input('assignedCaseworkerId', t('cw.referral.assignee'), 'text', {
      hint: t('cw.referral.assigneeHint'),
      value: ctx.user.userId,
    });
    fields = [assignee.element];
    body = () => ({ assignedCaseworkerId: assignee.control.value.trim() || undefined });
  } else if (action === 'decline') {
    const reason = select('reason', t('cw.referral.reason'), DECLINE_REASONS, 'declineReason', {
      blank: true,
      required: true,
    });
    fields = [reason.element];
    body = () => ({ reason: reason.control.value });
  } else if (action === 'introduce') {
    const at = input('at', t('cw.referral.at'), 'datetime-local', { required: true });
    const mode = select('mode', t('cw.referral.mode'), INTRODUCTION_MODES, 'mode', { value: 'video' });
    const attendees = input('attendees', t('cw.referral.attendees'), 'text', {
      hint: t('cw.referral.attendeesHint'),
      value: `${ctx.user.userId}, survivor`,
      required: true,
    });
    fields = [at.element, mode.element, attendees.element];
    body = () => ({
      at: at.control.value ? new Date(at.control.value).toISOString() : '',
      mode: mode.control.value,
      attendees: attendees.control.value
        .split(',')
        .map((a) => a.trim())
        .filter(Boolean),
    });
  } else if (action === 'close') {
    const outcome = select('outcome', t('cw.referral.outcome'), OUTCOMES, 'outcome', { value: 'engaged' });
    fields = [outcome.element];
    body = () => ({ outcome: outcome.control.value });
  }
  const form: HTMLFormElement = h(
    'form',
    {
      class: `action action-${action}`,
      novalidate: true,
      onsubmit: (event: Event) => {
        event.preventDefault();
        void submit(ctx, form, t(`cw.action.${action}`), async () => {
          await api.post(`/v1/referrals/${r.referralId}/${path}`, body());
          ctx.announce(t('cw.referral.done', { action: t(`cw.action.${action}`) }));
          done();
        });
      },
    },
    h(
      'fieldset',
      {},
      h('legend', {}, t(`cw.action.${action}`)),
      action === 'withdraw' ? h('p', { class: 'warning' }, t('cw.referral.withdrawWarning')) : null,
      action === 'accept' ? h('p', { class: 'hint' }, t('cw.referral.acceptHint')) : null,
      fields,
      h(
        'button',
        { type: 'submit', class: action === 'withdraw' || action === 'decline' ? 'button danger' : 'button primary' },
        t(`cw.action.${action}`),
      ),
    ),
  );
  return form;
}

const row = (label: string, value: Child): [string, Child] => [label, value];

function referralDetails(ctx: ScreenContext, r: ReferralView, reload: () => void): Child[] {
  const receiving = r.toAgencyId === ctx.user.agencyId;
  const noticeOnly = receiving && (r.state === 'requested' || r.state === 'acknowledged');
  const actions = allowedActions(r, ctx.user.agencyId);
  return [
    h(
      'p',
      {},
      receiving ? t('cw.referral.toUs') : t('cw.referral.fromUs'),
      ' ',
      t('cw.referral.id'),
      ' ',
      shortId(r.referralId),
    ),
    facts([
      [t('cw.state'), h('strong', { class: 'state' }, word('state', r.state))],
      [t('cw.referral.toSector'), word('sector', r.toSector)],
      [t('cw.requestedAt'), dateTime(r.requestedAt)],
      [t('cw.respondBy'), dateTime(r.respondBy)],
    ]),
    h(
      'section',
      { class: 'notice-card', 'aria-labelledby': 'referral-notice' },
      h('h2', { id: 'referral-notice' }, t('cw.referral.notice')),
      noticeOnly ? h('p', { class: 'hint' }, t('cw.referral.noticeOnly')) : null,
      facts([
        [t('cw.needs'), words('need', r.notice.needs)],
        [t('cw.urgency'), word('urgency', r.notice.urgency)],
        [t('cw.referral.language'), r.notice.language ?? '—'],
        [t('cw.newReferral.region'), r.notice.region ?? '—'],
        [t('cw.field.ageBand'), r.notice.ageBand ? word('ageBand', r.notice.ageBand) : '—'],
      ]),
    ),
    r.note !== undefined || r.survivorId || r.introduction || r.declineReason || r.outcome || r.assignedCaseworkerId
      ? h(
          'section',
          { 'aria-labelledby': 'referral-more' },
          h('h2', { id: 'referral-more' }, t('cw.referral.details')),
          facts(
            [
              r.note !== undefined ? row(t('cw.newReferral.note'), r.note || '—') : null,
              r.survivorId
                ? row(t('cw.survivor'), link(`#/records/${r.survivorId}?purpose=referral`, shortId(r.survivorId)))
                : null,
              r.assignedCaseworkerId ? row(t('cw.referral.assignee'), r.assignedCaseworkerId) : null,
              r.introduction
                ? row(
                    t('cw.referral.introduction'),
                    t('cw.referral.introductionAt', {
                      at: dateTime(r.introduction.at),
                      mode: word('mode', r.introduction.mode),
                      attendees: r.introduction.attendees.join(', '),
                    }),
                  )
                : null,
              r.declineReason ? row(t('cw.referral.reason'), word('declineReason', r.declineReason)) : null,
              r.outcome ? row(t('cw.referral.outcome'), word('outcome', r.outcome)) : null,
            ].filter((x): x is [string, Child] => x !== null),
          ),
        )
      : null,
    h(
      'section',
      { 'aria-labelledby': 'referral-actions' },
      h('h2', { id: 'referral-actions' }, t('cw.actions')),
      actions.length ? actions.map((a) => actionForm(ctx, r, a, reload)) : empty('cw.referral.noActions'),
    ),
  ];
}

export const referralScreen: Screen = {
  route: '#/referrals/:referralId',
  title: 'cw.referral.title',
  roles: WORKER_ROLES,
  async render(ctx) {
    const id = ctx.params.referralId;
    const view = region(t('cw.referral.title'));
    const load = async () => {
      const { body } = await api.get<ReferralView>(`/v1/referrals/${id}`);
      view.show(...referralDetails(ctx, body, reload));
    };
    const reload = () => void ctx.busy(t('cw.loading'), load).catch(() => undefined);
    await load();
    return [
      view.element,
      h('p', {}, link('#/inbox', t('cw.inbox.title')), ' · ', link('#/outbox', t('cw.outbox.title'))),
    ];
  },
};
