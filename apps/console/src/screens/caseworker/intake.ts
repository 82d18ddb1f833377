/**
 * New intake, section by section: POST /v1/intakes (with an Idempotency-Key, so a retried click
 * opens one intake), then one form per section, each a PUT /v1/intakes/:id/sections/:section.
 * The API validates the section's typed shape; its field problems appear next to the fields.
 */
import { api, newIdempotencyKey } from '../../api.js';
import { h } from '../../dom.js';
import { currentLanguage, t } from '../../i18n.js';
import type { Screen } from '../../screen.js';
import { choices, type Field, input, link, select, shortId, submit, textarea, word } from './common.js';
import { fieldName, recordLinks } from './record.js';
import { NEED_CATEGORIES, URGENCIES, WORKER_ROLES } from './vocab.js';

const AGE_BANDS = ['0-4', '5-11', '12-17', '18-24', '25-34', '35-49', '50-64', '65+', 'unknown'];
const RISK_LEVELS = ['low', 'medium', 'high', 'critical'];
const RISK_KINDS = [
  'trafficker-contact',
  'threats',
  'surveillance',
  'debt-bondage',
  'family-at-risk',
  'self-harm',
  'other',
];
const HOUSING_SITUATIONS = ['stable', 'temporary', 'shelter', 'unsafe', 'homeless', 'unknown'];
const WORKER_GENDERS = ['any', 'women', 'men', 'gender-diverse'];

/** One form control of a section: `name` is the dotted path in the section's content. */
type Spec =
  | { name: string; kind: 'text' | 'textarea' | 'date' | 'email' | 'tel'; required?: boolean; hint?: string }
  | { name: string; kind: 'select'; values: readonly string[]; words: string; required?: boolean }
  | { name: string; kind: 'flag' }
  | { name: string; kind: 'yes-no' }
  | { name: string; kind: 'kinds'; values: readonly string[]; words: string };

/** The sections the console has forms for (the others are written through the API). */
export const FORM_SECTIONS: Record<string, Spec[]> = {
  identity: [
    { name: 'preferredName', kind: 'text', required: true },
    { name: 'legalName', kind: 'text' },
    { name: 'dateOfBirth', kind: 'date' },
    { name: 'ageBand', kind: 'select', values: AGE_BANDS, words: 'ageBand' },
    { name: 'gender', kind: 'text' },
    { name: 'pronouns', kind: 'text' },
    { name: 'nationality', kind: 'text', hint: 'cw.hint.country' },
  ],
  contact: [
    { name: 'phone', kind: 'tel' },
    { name: 'email', kind: 'email' },
    { name: 'safeToContact.phone', kind: 'flag' },
    { name: 'safeToContact.text', kind: 'flag' },
    { name: 'safeToContact.email', kind: 'flag' },
    { name: 'safeToContact.voicemail', kind: 'flag' },
    { name: 'safeTimes', kind: 'textarea' },
  ],
  safety: [
    { name: 'riskLevel', kind: 'select', values: RISK_LEVELS, words: 'risk', required: true },
    { name: 'risks', kind: 'kinds', values: RISK_KINDS, words: 'riskKind' },
    { name: 'safetyPlan', kind: 'textarea' },
    { name: 'lastReviewed', kind: 'date', required: true },
  ],
  health: [
    { name: 'conditions', kind: 'textarea' },
    { name: 'medications', kind: 'textarea' },
    { name: 'pregnancy', kind: 'yes-no' },
    { name: 'disabilities', kind: 'textarea' },
    { name: 'mentalHealthSupport', kind: 'yes-no' },
    { name: 'notes', kind: 'textarea' },
  ],
  housing: [
    { name: 'situation', kind: 'select', values: HOUSING_SITUATIONS, words: 'housing', required: true },
    { name: 'needsBy', kind: 'date' },
    { name: 'notes', kind: 'textarea' },
  ],
  needs: [],
  preferences: [
    { name: 'language', kind: 'text', required: true, hint: 'cw.hint.language' },
    { name: 'interpreter', kind: 'flag' },
    { name: 'interpreterLanguage', kind: 'text', hint: 'cw.hint.language' },
    { name: 'workerGender', kind: 'select', values: WORKER_GENDERS, words: 'workerGender' },
    { name: 'contactPreferences', kind: 'textarea' },
  ],
  story: [
    { name: 'narrative', kind: 'textarea', required: true },
    { name: 'toldOn', kind: 'date', required: true },
    { name: 'language', kind: 'text', required: true, hint: 'cw.hint.language' },
  ],
};
const ORDER = Object.keys(FORM_SECTIONS);

const leaf = (path: string) => path.split('.').pop() ?? path;

/** Puts `value` at a dotted path of `target` (`safeToContact.phone`). */
function put(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
  node[parts[parts.length - 1]] = value;
}

type Read = () => unknown;

function control(spec: Spec, field: string): { element: HTMLElement; read: Read } {
  const label = fieldName(leaf(spec.name));
  switch (spec.kind) {
    case 'select': {
      const f = select(field, label, spec.values, spec.words, { blank: !spec.required, required: spec.required });
      return { element: f.element, read: () => f.control.value || undefined };
    }
    case 'flag': {
      const f = input(field, spec.name.includes('.') ? t(`cw.field.${spec.name}`) : label, 'checkbox');
      f.element.classList.add('checkbox');
      return { element: f.element, read: () => (f.control as HTMLInputElement).checked };
    }
    case 'yes-no': {
      const f = select(field, label, ['yes', 'no'], (v) => (v === 'yes' ? t('cw.yes') : t('cw.no')), { blank: true });
      return { element: f.element, read: () => (f.control.value ? f.control.value === 'yes' : undefined) };
    }
    case 'kinds': {
      const c = choices(field, label, spec.values, spec.words);
      return { element: c.element, read: () => c.checked().map((kind) => ({ kind })) };
    }
    default: {
      const type = spec.kind === 'textarea' ? null : spec.kind;
      const options = {
        required: spec.required,
        hint: spec.hint ? t(spec.hint) : undefined,
        value: spec.name === 'language' ? currentLanguage() : undefined,
      };
      const f: Field = type ? input(field, label, type, options) : textarea(field, label, options);
      return { element: f.element, read: () => f.control.value.trim() || undefined };
    }
  }
}

/** The needs section: each need a category with its urgency (the API takes at least one). */
function needsControls(): { elements: HTMLElement[]; read: Read } {
  const rows = NEED_CATEGORIES.map((category) => {
    const box = input(`content.needs`, word('need', category), 'checkbox');
    box.element.classList.add('checkbox');
    const urgency = select('content.needs', t('cw.urgencyOf', { need: word('need', category) }), URGENCIES, 'urgency', {
      value: 'medium',
    });
    return { category, box, urgency, element: h('div', { class: 'need-row' }, box.element, urgency.element) };
  });
  const fieldset = h(
    'fieldset',
    { class: 'choices', 'data-field': 'content.needs' },
    h('legend', {}, t('cw.field.needs')),
    rows.map((r) => r.element),
    h('p', { class: 'field-error', role: 'alert', hidden: true }),
  );
  return {
    elements: [fieldset],
    read: () =>
      rows
        .filter((r) => (r.box.control as HTMLInputElement).checked)
        .map((r) => ({ category: r.category, urgency: r.urgency.control.value })),
  };
}

export const newIntakeScreen: Screen = {
  route: '#/intakes/new',
  title: 'cw.intake.new',
  nav: { roles: WORKER_ROLES, order: 20 },
  roles: WORKER_ROLES,
  async render(ctx) {
    // One key per visit of this page: a retried or double click opens one intake, not two.
    const key = newIdempotencyKey();
    const form = h(
      'form',
      {
        onsubmit: (event: Event) => {
          event.preventDefault();
          void submit(ctx, form, t('cw.intake.opening'), async () => {
            const { body } = await api.post<{ survivorId: string }>('/v1/intakes', undefined, { idempotencyKey: key });
            ctx.announce(t('cw.intake.opened'));
            ctx.navigate(`#/intakes/${body.survivorId}/sections/${ORDER[0]}`);
          });
        },
      },
      h('p', {}, t('cw.intake.explain')),
      h('button', { type: 'submit', class: 'button primary' }, t('cw.intake.open')),
    );
    return form;
  },
};

export const sectionScreen: Screen = {
  route: '#/intakes/:intakeId/sections/:section',
  title: 'cw.intake.sectionTitle',
  roles: WORKER_ROLES,
  async render(ctx) {
    const survivorId = ctx.params.intakeId;
    const section = ctx.params.section;
    const steps = h(
      'nav',
      { class: 'steps', 'aria-label': t('cw.intake.steps') },
      h(
        'ol',
        {},
        ORDER.map((s) =>
          h(
            'li',
            {},
            h(
              'a',
              { href: `#/intakes/${survivorId}/sections/${s}`, 'aria-current': s === section ? 'step' : null },
              word('section', s),
            ),
          ),
        ),
      ),
    );
    const header = [h('p', {}, t('cw.survivor'), ' ', shortId(survivorId)), recordLinks(survivorId), steps];
    const specs = FORM_SECTIONS[section];
    if (!specs)
      return [...header, h('p', { class: 'empty' }, t('cw.intake.noForm', { section: word('section', section) }))];
    let built: { elements: HTMLElement[]; reads: { name: string; read: Read }[] };
    if (section === 'needs') {
      const needs = needsControls();
      built = { elements: needs.elements, reads: [{ name: 'needs', read: needs.read }] };
    } else {
      const parts = specs.map((spec) => ({ spec, ...control(spec, `content.${spec.name}`) }));
      built = { elements: parts.map((p) => p.element), reads: parts.map((p) => ({ name: p.spec.name, read: p.read })) };
    }
    const next = ORDER[ORDER.indexOf(section) + 1];
    const form: HTMLFormElement = h(
      'form',
      {
        novalidate: true,
        onsubmit: (event: Event) => {
          event.preventDefault();
          const contentBody: Record<string, unknown> = {};
          for (const { name, read } of built.reads) {
            const value = read();
            if (value !== undefined) put(contentBody, name, value);
          }
          void submit(ctx, form, t('cw.intake.saving'), async () => {
            await api.put(`/v1/intakes/${survivorId}/sections/${section}`, { content: contentBody });
            ctx.announce(t('cw.intake.saved', { section: word('section', section) }));
            ctx.navigate(next ? `#/intakes/${survivorId}/sections/${next}` : `#/records/${survivorId}`);
          });
        },
      },
      h(
        'fieldset',
        {},
        h('legend', {}, word('section', section)),
        h('p', { class: 'hint' }, t('cw.intake.replaces')),
        built.elements,
      ),
      h(
        'div',
        { class: 'actions' },
        h(
          'button',
          { type: 'submit', class: 'button primary' },
          next ? t('cw.intake.saveNext') : t('cw.intake.saveLast'),
        ),
        next ? link(`#/intakes/${survivorId}/sections/${next}`, t('cw.intake.skip')) : null,
      ),
    );
    return [...header, form];
  },
};
