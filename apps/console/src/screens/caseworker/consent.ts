/**
 * Consent: the decisions on record (from the survivor's copy, GET /v1/intakes/:id/copy — an
 * audited read by the care team), recording a consent with a read-back in plain words before it
 * is saved, exclusions, and revoking or lifting with a confirmation step.
 */
import { api, newIdempotencyKey } from '../../api.js';
import { type Child, h, replace } from '../../dom.js';
import { currentLanguage, t } from '../../i18n.js';
import type { Screen, ScreenContext } from '../../screen.js';
import { button, choices, date, empty, input, region, select, shortId, submit, table, word, words } from './common.js';
import { recordLinks } from './record.js';
import { CONSENT_METHODS, PURPOSES, SECTIONS, SECTORS, WORKER_ROLES } from './vocab.js';

interface AgencyName {
  agencyId: string;
  name: string | null;
}
interface CopyView {
  consents: {
    consentId: string;
    recipient: { kind: string; agency?: AgencyName; sector?: string };
    state: string;
    versions: { version: number; sections: string[]; purposes: string[]; validFrom: string; validUntil: string }[];
  }[];
  exclusions: {
    exclusionId: string;
    target: { kind: string; agency?: AgencyName; sector?: string; userId?: string; name?: string | null };
    recordedAt: string;
    lifted: unknown;
  }[];
}
interface Agency {
  agencyId: string;
  name: string;
  sector: string;
  status: string;
}

const recipientText = (r: { kind: string; agency?: AgencyName; sector?: string }) =>
  r.kind === 'agency'
    ? (r.agency?.name ?? r.agency?.agencyId ?? '—')
    : t('cw.consent.anySector', { sector: word('sector', r.sector ?? '') });

const targetText = (x: CopyView['exclusions'][number]['target']) =>
  x.kind === 'staff'
    ? t('cw.exclusion.staffNamed', { name: x.name ?? x.userId ?? '—' })
    : recipientText(x.kind === 'agency' ? { kind: 'agency', agency: x.agency } : { kind: 'sector', sector: x.sector });

/** "Yes, revoke" / "Cancel" in place of the button that asked, with the method the survivor used. */
function confirmStep(
  ctx: ScreenContext,
  slot: HTMLElement,
  question: string,
  yes: string,
  act: (method: string) => Promise<void>,
  restore: () => void,
): void {
  const method = select('method', t('cw.consent.method'), CONSENT_METHODS, 'method', { value: 'verbal' });
  const form: HTMLFormElement = h(
    'form',
    {
      class: 'confirm',
      role: 'group',
      'aria-label': question,
      onsubmit: (event: Event) => {
        event.preventDefault();
        void submit(ctx, form, yes, () => act(method.control.value));
      },
    },
    h('p', { class: 'warning' }, question),
    method.element,
    h('button', { type: 'submit', class: 'button danger' }, yes),
    button(t('cw.cancel'), restore),
  );
  replace(slot, form);
  method.control.focus();
}

function decisions(ctx: ScreenContext, survivorId: string, copy: CopyView, reload: () => void): Child[] {
  const consentRows = copy.consents.map((c) => {
    const latest = c.versions[c.versions.length - 1];
    const slot = h('div', {});
    const ask = () =>
      confirmStep(
        ctx,
        slot,
        t('cw.consent.revokeQuestion', { recipient: recipientText(c.recipient) }),
        t('cw.consent.revokeYes'),
        async (method) => {
          await api.post(`/v1/intakes/${survivorId}/consents/${c.consentId}/revocation`, { method });
          ctx.announce(t('cw.consent.revoked'));
          reload();
        },
        show,
      );
    const show = () =>
      replace(
        slot,
        c.state === 'in-force' || c.state === 'not-started' ? button(t('cw.consent.revoke'), ask, 'danger') : '—',
      );
    show();
    return [
      shortId(c.consentId),
      recipientText(c.recipient),
      latest ? words('section', latest.sections) : '—',
      latest ? words('purpose', latest.purposes) : '—',
      latest ? `${date(latest.validFrom)} – ${date(latest.validUntil)}` : '—',
      word('consentState', c.state),
      slot,
    ];
  });
  const exclusionRows = copy.exclusions.map((x) => {
    const slot = h('div', {});
    const ask = () =>
      confirmStep(
        ctx,
        slot,
        t('cw.exclusion.liftQuestion', { target: targetText(x.target) }),
        t('cw.exclusion.liftYes'),
        async (method) => {
          await api.post(`/v1/intakes/${survivorId}/exclusions/${x.exclusionId}/lifting`, { method });
          ctx.announce(t('cw.exclusion.lifted'));
          reload();
        },
        show,
      );
    const show = () => replace(slot, x.lifted ? t('cw.exclusion.wasLifted') : button(t('cw.exclusion.lift'), ask));
    show();
    return [targetText(x.target), date(x.recordedAt), slot];
  });
  return [
    h('h2', {}, t('cw.consent.onRecord')),
    consentRows.length
      ? table(
          t('cw.consent.onRecord'),
          [
            t('cw.id'),
            t('cw.consent.recipient'),
            t('cw.consent.sections'),
            t('cw.consent.purposes'),
            t('cw.consent.window'),
            t('cw.state'),
            t('cw.actions'),
          ],
          consentRows,
        )
      : empty('cw.consent.none'),
    h('h2', {}, t('cw.exclusion.onRecord')),
    exclusionRows.length
      ? table(
          t('cw.exclusion.onRecord'),
          [t('cw.exclusion.target'), t('cw.recordedOn'), t('cw.actions')],
          exclusionRows,
        )
      : empty('cw.exclusion.none'),
  ];
}

/** The consent form; "Continue" shows what the survivor agrees to in plain words, then "Save". */
function consentForm(ctx: ScreenContext, survivorId: string, agencies: Agency[], saved: () => void): HTMLElement {
  const key = newIdempotencyKey();
  const area = h('div', {});
  const kind = choices('recipient.kind', t('cw.consent.recipientKind'), ['agency', 'sector'], 'recipientKind', {
    radio: true,
    checked: ['agency'],
  });
  const agency = select(
    'recipient.agencyId',
    t('cw.consent.agency'),
    agencies.map((a) => a.agencyId),
    (id) => {
      const a = agencies.find((x) => x.agencyId === id);
      return a ? `${a.name} (${word('sector', a.sector)})` : id;
    },
    { blank: true },
  );
  const sector = select('recipient.sector', t('cw.consent.sector'), SECTORS, 'sector', { blank: true });
  const sections = choices('sections', t('cw.consent.sections'), SECTIONS, 'section');
  const purposes = choices('purposes', t('cw.consent.purposes'), PURPOSES, 'purpose', {
    hint: t('cw.consent.purposesHint'),
  });
  const from = input('validFrom', t('cw.consent.from'), 'date', { hint: t('cw.consent.fromHint') });
  const until = input('validUntil', t('cw.consent.until'), 'date', { hint: t('cw.consent.untilHint') });
  const method = select('method', t('cw.consent.method'), CONSENT_METHODS, 'method', { value: 'verbal' });
  const language = input('language', t('cw.consent.language'), 'text', {
    value: currentLanguage(),
    hint: t('cw.hint.language'),
    required: true,
  });

  // Only the control of the chosen kind of recipient is shown.
  const showRecipient = () => {
    const bySector = kind.checked()[0] === 'sector';
    agency.element.hidden = bySector;
    sector.element.hidden = !bySector;
  };
  kind.element.addEventListener('change', showRecipient);
  showRecipient();

  const body = () => {
    const recipient =
      kind.checked()[0] === 'sector'
        ? { kind: 'sector', sector: sector.control.value || undefined }
        : { kind: 'agency', agencyId: agency.control.value || undefined };
    return {
      recipient,
      sections: sections.checked(),
      purposes: purposes.checked(),
      validFrom: from.control.value ? new Date(`${from.control.value}T00:00:00Z`).toISOString() : undefined,
      validUntil: until.control.value ? new Date(`${until.control.value}T00:00:00Z`).toISOString() : undefined,
      method: method.control.value,
      language: language.control.value.trim(),
    };
  };
  const recipientName = () =>
    kind.checked()[0] === 'sector'
      ? t('cw.consent.anySector', { sector: word('sector', sector.control.value) || '—' })
      : (agencies.find((a) => a.agencyId === agency.control.value)?.name ?? t('cw.consent.noAgency'));

  const form: HTMLFormElement = h(
    'form',
    {
      novalidate: true,
      onsubmit: (event: Event) => {
        event.preventDefault();
        readBack();
      },
    },
    h('fieldset', {}, h('legend', {}, t('cw.consent.who')), kind.element, agency.element, sector.element),
    sections.element,
    purposes.element,
    h('fieldset', {}, h('legend', {}, t('cw.consent.window')), from.element, until.element),
    h('fieldset', {}, h('legend', {}, t('cw.consent.how')), method.element, language.element),
    h('button', { type: 'submit', class: 'button primary' }, t('cw.consent.continue')),
  );

  const readBack = () => {
    const b = body();
    const words_ = {
      recipient: recipientName(),
      sections: b.sections.length ? words('section', b.sections) : t('cw.consent.noneChosen'),
      purposes: b.purposes.length ? words('purpose', b.purposes) : t('cw.consent.noneChosen'),
      from: b.validFrom ? date(b.validFrom) : t('cw.consent.today'),
      until: b.validUntil ? date(b.validUntil) : t('cw.consent.twelveMonths'),
      method: word('method', b.method),
      language: b.language,
    };
    const back = h(
      'section',
      { class: 'read-back', 'aria-labelledby': 'read-back-title', tabindex: -1 },
      h('h3', { id: 'read-back-title' }, t('cw.consent.readBackTitle')),
      h('p', { class: 'read-back-text' }, t('cw.consent.readBack', words_)),
      h('p', {}, t('cw.consent.readBackNever')),
      h(
        'div',
        { class: 'actions' },
        h(
          'button',
          {
            type: 'button',
            class: 'button primary',
            onclick: () =>
              void submit(ctx, form, t('cw.consent.saving'), async () => {
                await api.post(`/v1/intakes/${survivorId}/consents`, body(), { idempotencyKey: key });
                ctx.announce(t('cw.consent.saved'));
                saved();
              }).then(() => {
                if (form.querySelector('.form-errors')) replace(area, form);
              }),
          },
          t('cw.consent.save'),
        ),
        button(t('cw.consent.edit'), () => {
          replace(area, form);
          form.querySelector<HTMLElement>('input')?.focus();
        }),
      ),
    );
    replace(area, back);
    back.focus();
  };
  replace(area, form);
  return area;
}

function exclusionForm(ctx: ScreenContext, survivorId: string, agencies: Agency[], saved: () => void): HTMLElement {
  const key = newIdempotencyKey();
  const kind = choices('target.kind', t('cw.exclusion.kind'), ['sector', 'agency', 'staff'], 'exclusionKind', {
    radio: true,
    checked: ['sector'],
  });
  const sector = select('target.sector', t('cw.consent.sector'), SECTORS, 'sector', { blank: true });
  const agency = select(
    'target.agencyId',
    t('cw.consent.agency'),
    agencies.map((a) => a.agencyId),
    (id) => agencies.find((a) => a.agencyId === id)?.name ?? id,
    { blank: true },
  );
  const staff = input('target.userId', t('cw.exclusion.staff'));
  const method = select('method', t('cw.consent.method'), CONSENT_METHODS, 'method', { value: 'verbal' });
  const language = input('language', t('cw.consent.language'), 'text', { value: currentLanguage(), required: true });
  // Only the control of the chosen kind of exclusion is shown.
  const showTarget = () => {
    const k = kind.checked()[0];
    sector.element.hidden = k !== 'sector';
    agency.element.hidden = k !== 'agency';
    staff.element.hidden = k !== 'staff';
  };
  kind.element.addEventListener('change', showTarget);
  showTarget();
  const form: HTMLFormElement = h(
    'form',
    {
      novalidate: true,
      onsubmit: (event: Event) => {
        event.preventDefault();
        const k = kind.checked()[0];
        const target =
          k === 'agency'
            ? { kind: k, agencyId: agency.control.value || undefined }
            : k === 'staff'
              ? { kind: k, userId: staff.control.value.trim() || undefined }
              : { kind: 'sector', sector: sector.control.value || undefined };
        void submit(ctx, form, t('cw.exclusion.saving'), async () => {
          await api.post(
            `/v1/intakes/${survivorId}/exclusions`,
            { target, method: method.control.value, language: language.control.value.trim() },
            { idempotencyKey: key },
          );
          ctx.announce(t('cw.exclusion.saved'));
          saved();
        });
      },
    },
    h('p', { class: 'hint' }, t('cw.exclusion.explain')),
    kind.element,
    sector.element,
    agency.element,
    staff.element,
    method.element,
    language.element,
    h('button', { type: 'submit', class: 'button primary' }, t('cw.exclusion.save')),
  );
  return form;
}

export const consentScreen: Screen = {
  route: '#/records/:intakeId/consent',
  title: 'cw.consent.title',
  roles: WORKER_ROLES,
  async render(ctx) {
    const survivorId = ctx.params.intakeId;
    const agencies = (await api.get<Agency[]>('/v1/agencies', { query: { status: 'active' } })).body;
    const onRecord = region(t('cw.consent.onRecord'));
    const load = async () => {
      const copy = (await api.get<CopyView>(`/v1/intakes/${survivorId}/copy`)).body;
      onRecord.show(...decisions(ctx, survivorId, copy, reload));
    };
    const reload = () => void ctx.busy(t('cw.loading'), load).catch(() => undefined);
    await load();
    const newConsent = h('div', {});
    const newExclusion = h('div', {});
    const resetForms = () => {
      replace(
        newConsent,
        consentForm(ctx, survivorId, agencies, () => (resetForms(), reload())),
      );
      replace(
        newExclusion,
        exclusionForm(ctx, survivorId, agencies, () => (resetForms(), reload())),
      );
    };
    resetForms();
    return [
      h('p', {}, t('cw.survivor'), ' ', shortId(survivorId)),
      recordLinks(survivorId),
      onRecord.element,
      h(
        'section',
        { 'aria-labelledby': 'new-consent' },
        h('h2', { id: 'new-consent' }, t('cw.consent.new')),
        newConsent,
      ),
      h(
        'section',
        { 'aria-labelledby': 'new-exclusion' },
        h('h2', { id: 'new-exclusion' }, t('cw.exclusion.new')),
        newExclusion,
      ),
    ];
  },
};
