/** Agency admin: list a new service, or edit / withdraw one of my agency's services. */
import { api, newIdempotencyKey, readOwnWrite } from '../../api.js';
import { type Child, h } from '../../dom.js';
import { t } from '../../i18n.js';
import type { Screen, ScreenContext } from '../../screen.js';
import {
  checkboxes,
  checkedValues,
  field,
  form,
  input,
  link,
  listValue,
  select,
  submit,
  textarea,
  value,
} from '../oversight-kit.js';
import { DAYS, GENDERS, NEEDS, type ServiceView } from './vocabulary.js';

const AGENCY_ADMIN = ['agency-admin'];

/** Opening hours as typed: one line per day, `mo 09:00-17:00`. */
function hoursOf(text: string): { day: string; opens: string; closes: string }[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [day = '', span = ''] = line.split(/\s+/, 2);
      const [opens = '', closes = ''] = span.split('-');
      return { day: day.toLowerCase(), opens, closes };
    });
}

const number = (text: string): number | null => (text === '' ? null : Number(text));

function checkbox(name: string, label: string, checked: boolean): HTMLElement {
  const id = `f-${name}`;
  return h(
    'div',
    { class: 'checkbox field', 'data-field': name },
    h('input', { type: 'checkbox', id, name, checked }),
    h('label', { for: id }, label),
    h('p', { class: 'field-error', hidden: true }),
  );
}

function serviceForm(ctx: ScreenContext, existing: ServiceView | null): HTMLFormElement {
  const key = newIdempotencyKey();
  const s = existing;
  const address = s?.address;
  const fields: Child[] = [
    field(t('admin.service.name'), input('name', { value: s?.name ?? '' }), { required: true }),
    field(t('admin.service.description'), textarea('description', { rows: 3 }), { hint: t('admin.hint.description') }),
    checkboxes('needs', t('admin.service.needs'), NEEDS, s?.needs ?? [], (n) => t(`need.${n}`)),
    field(t('admin.service.languages'), input('languages', { value: (s?.languages ?? ['en']).join(', ') }), {
      required: true,
      hint: t('admin.hint.languages'),
    }),
    field(t('admin.service.regions'), input('regions', { value: (s?.regions ?? []).join(', ') }), {
      required: true,
      hint: t('admin.hint.regions'),
    }),
    h(
      'fieldset',
      {},
      h('legend', {}, t('admin.service.eligibility')),
      field(
        t('admin.service.gender'),
        select('eligibility.gender', GENDERS, { value: s?.eligibility.gender, label: (g) => t(`gender.${g}`) }),
      ),
      field(
        t('admin.service.min-age'),
        input('eligibility.minAge', { type: 'number', min: 0, max: 120, value: s?.eligibility.minAge ?? '' }),
      ),
      field(
        t('admin.service.max-age'),
        input('eligibility.maxAge', { type: 'number', min: 0, max: 120, value: s?.eligibility.maxAge ?? '' }),
      ),
    ),
    field(t('admin.service.hours'), textarea('hours', { rows: 3 }), {
      hint: t('admin.hint.hours', { days: DAYS.join(' ') }),
    }),
    checkbox('acceptingReferrals', t('admin.service.accepting'), s?.acceptingReferrals ?? true),
    field(
      t('admin.service.window'),
      input('responseWindowHours', { type: 'number', min: 1, max: 720, value: s?.responseWindowHours ?? 24 }),
      {
        required: true,
      },
    ),
    h(
      'fieldset',
      {},
      h('legend', {}, t('admin.service.address')),
      h('p', { class: 'field-hint' }, t('admin.hint.address')),
      field(t('admin.address.street'), input('address.street', { value: address?.street ?? '' })),
      field(t('admin.address.city'), input('address.city', { value: address?.city ?? '' })),
      field(t('admin.address.region'), input('address.region', { value: address?.region ?? '' })),
      field(t('admin.address.postal-code'), input('address.postalCode', { value: address?.postalCode ?? '' })),
      field(t('admin.address.country'), input('address.country', { value: address?.country ?? '', maxlength: 2 })),
      checkbox('addressConfidential', t('admin.service.confidential'), s?.addressConfidential ?? true),
    ),
    submit(t(s ? 'admin.service.save' : 'admin.service.create')),
  ];
  const element = form(
    ctx,
    { label: t(s ? 'admin.service.edit' : 'admin.services.new'), busyLabel: t('admin.service.busy') },
    fields,
    async (f) => {
      const box = (name: string) => (f.elements.namedItem(name) as HTMLInputElement).checked;
      const street = value(f, 'address.street');
      const body = {
        name: value(f, 'name'),
        description: value(f, 'description'),
        needs: checkedValues(f, 'needs'),
        languages: listValue(f, 'languages'),
        regions: listValue(f, 'regions'),
        eligibility: {
          gender: value(f, 'eligibility.gender'),
          minAge: number(value(f, 'eligibility.minAge')),
          maxAge: number(value(f, 'eligibility.maxAge')),
        },
        hours: hoursOf(value(f, 'hours')),
        acceptingReferrals: box('acceptingReferrals'),
        responseWindowHours: Number(value(f, 'responseWindowHours')),
        address: street
          ? {
              street,
              city: value(f, 'address.city'),
              region: value(f, 'address.region'),
              postalCode: value(f, 'address.postalCode'),
              country: value(f, 'address.country'),
            }
          : null,
        addressConfidential: box('addressConfidential'),
      };
      if (s) {
        await api.put(`/v1/services/${encodeURIComponent(s.serviceId)}`, body);
        ctx.announce(t('admin.service.saved'));
      } else {
        const { body: written } = await api.post<{ serviceId: string }>('/v1/services', body, { idempotencyKey: key });
        ctx.announce(t('admin.service.created'));
        ctx.navigate(`#/admin/services/${written.serviceId}?created=1`);
      }
    },
  );
  // Textareas take their text as content, not as an attribute.
  (element.elements.namedItem('description') as HTMLTextAreaElement).value = s?.description ?? '';
  (element.elements.namedItem('hours') as HTMLTextAreaElement).value = (s?.hours ?? [])
    .map((o) => `${o.day} ${o.opens}-${o.closes}`)
    .join('\n');
  return element;
}

function withdrawForm(ctx: ScreenContext, s: ServiceView): HTMLElement {
  return h(
    'section',
    { class: 'action', 'aria-labelledby': 'withdraw-heading' },
    h('h2', { id: 'withdraw-heading' }, t('admin.service.withdraw-heading')),
    h('p', {}, t('admin.service.withdraw-explain')),
    form(
      ctx,
      { label: t('admin.service.withdraw-heading'), busyLabel: t('admin.service.withdraw-heading') },
      [h('button', { type: 'submit', class: 'danger' }, t('admin.service.withdraw'))],
      async () => {
        await api.delete(`/v1/services/${encodeURIComponent(s.serviceId)}`);
        ctx.announce(t('admin.service.withdrawn'));
        ctx.navigate('#/admin/services');
      },
    ),
  );
}

export const newServiceScreen: Screen = {
  route: '#/admin/services/new',
  title: 'admin.services.new',
  roles: AGENCY_ADMIN,
  render(ctx) {
    return Promise.resolve([
      h('p', {}, link('#/admin/services', t('admin.back-to-services'))),
      h('p', {}, t('admin.service.new-intro')),
      serviceForm(ctx, null),
    ]);
  },
};

export const serviceScreen: Screen = {
  route: '#/admin/services/:serviceId',
  title: 'admin.service.edit',
  roles: AGENCY_ADMIN,
  async render(ctx) {
    if (ctx.params.serviceId === 'new') return newServiceScreen.render(ctx);
    const path = `/v1/services/${encodeURIComponent(ctx.params.serviceId)}`;
    // Just created here: its read model may trail the write by a moment.
    const { body } = await (ctx.query.has('created') ? readOwnWrite<ServiceView>(path) : api.get<ServiceView>(path));
    return [
      h('p', {}, link('#/admin/services', t('admin.back-to-services'))),
      h('h2', {}, body.name),
      serviceForm(ctx, body),
      withdrawForm(ctx, body),
    ];
  },
};
