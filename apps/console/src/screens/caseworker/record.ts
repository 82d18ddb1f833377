/**
 * A record: GET /v1/intakes/:id for a stated purpose. Sections consent allows are shown; the
 * others say "Withheld: not consented" and nothing of their content (the API never sends it).
 * A refusal (403) and an erased record (410) are shown plainly, as the API states them.
 */
import { api, ApiProblem } from '../../api.js';
import { type Child, h } from '../../dom.js';
import { t } from '../../i18n.js';
import type { Screen } from '../../screen.js';
import { link, select, shortId, word } from './common.js';
import { PURPOSES, SECTIONS, WORKER_ROLES } from './vocab.js';

interface RecordView {
  survivorId: string;
  version: number;
  purpose: string;
  sections: Record<string, unknown>;
  withheld: { section: string; reason: string }[];
  linkedTo: string | null;
}

/** A field name of a section in the user's language (falls back to the name spelled out). */
export function fieldName(name: string): string {
  const key = `cw.field.${name}`;
  const text = t(key);
  return text === key ? name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase() : text;
}

/** Section content of any shape, as nested lists of text. */
export function content(value: unknown): Child {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? t('cw.yes') : t('cw.no');
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  if (typeof value !== 'object') return '—';
  if (Array.isArray(value))
    return value.length
      ? h(
          'ul',
          {},
          value.map((item) => h('li', {}, content(item))),
        )
      : '—';
  return h(
    'dl',
    { class: 'facts' },
    Object.entries(value as Record<string, unknown>).flatMap(([key, v]) => [
      h('dt', {}, fieldName(key)),
      h('dd', {}, content(v)),
    ]),
  );
}

const withheldText = (reason: string) =>
  reason === 'no-consent'
    ? t('cw.record.withheld')
    : t('cw.record.withheldBecause', { reason: word('reason', reason) });

export function recordLinks(survivorId: string): HTMLElement {
  return h(
    'nav',
    { class: 'record-links', 'aria-label': t('cw.record.links') },
    h(
      'ul',
      {},
      h('li', {}, link(`#/records/${survivorId}`, t('cw.record.title'))),
      h('li', {}, link(`#/records/${survivorId}/consent`, t('cw.consent.title'))),
      h('li', {}, link(`#/records/${survivorId}/referral`, t('cw.newReferral.title'))),
      h('li', {}, link(`#/intakes/${survivorId}/sections/identity`, t('cw.intake.edit'))),
      h('li', {}, link(`#/records/${survivorId}/disclosures`, t('cw.disclosures.title'))),
    ),
  );
}

export const recordScreen: Screen = {
  route: '#/records/:intakeId',
  title: 'cw.record.title',
  roles: WORKER_ROLES,
  async render(ctx) {
    const survivorId = ctx.params.intakeId;
    const purpose = PURPOSES.includes(ctx.query.get('purpose') as never)
      ? (ctx.query.get('purpose') as string)
      : 'care-coordination';
    const purposeField = select('purpose', t('cw.record.purpose'), PURPOSES, 'purpose', { value: purpose });
    const purposeForm = h(
      'form',
      {
        class: 'inline-form',
        onsubmit: (event: Event) => {
          event.preventDefault();
          ctx.navigate(`#/records/${survivorId}?purpose=${encodeURIComponent(purposeField.control.value)}`);
        },
      },
      purposeField.element,
      h('button', { type: 'submit', class: 'button secondary' }, t('cw.record.read')),
    );
    const header = [h('p', {}, t('cw.survivor'), ' ', shortId(survivorId)), recordLinks(survivorId), purposeForm];
    let view: RecordView;
    try {
      view = (await api.get<RecordView>(`/v1/intakes/${survivorId}`, { query: { purpose } })).body;
    } catch (error) {
      if (error instanceof ApiProblem && error.status === 410)
        return [
          ...header,
          h(
            'div',
            { class: 'notice gone', role: 'alert' },
            h('h2', {}, t('cw.record.erased')),
            h('p', {}, error.problem.detail),
          ),
        ];
      if (error instanceof ApiProblem && error.status === 403) {
        const withheld = Array.isArray(error.problem.withheld)
          ? (error.problem.withheld as { section: string; reason: string }[])
          : [];
        return [
          ...header,
          h(
            'div',
            { class: 'notice refused', role: 'alert' },
            h('h2', {}, t('cw.record.refused')),
            h('p', {}, error.problem.detail || error.problem.title),
            h('p', {}, t('cw.record.refusedHelp')),
          ),
          withheld.length
            ? h(
                'ul',
                { class: 'withheld-list' },
                withheld.map((w) =>
                  h('li', {}, h('strong', {}, word('section', w.section)), ': ', withheldText(w.reason)),
                ),
              )
            : null,
        ];
      }
      throw error;
    }
    const withheld = new Map(view.withheld.map((w) => [w.section, w.reason]));
    const shown = SECTIONS.filter((s) => s in view.sections || withheld.has(s));
    const page: Child[] = [
      ...header,
      view.linkedTo
        ? h(
            'p',
            { class: 'notice', role: 'status' },
            t('cw.record.linked'),
            ' ',
            link(`#/records/${view.linkedTo}`, shortId(view.linkedTo)),
          )
        : null,
      h(
        'p',
        { class: 'hint' },
        t('cw.record.readFor', { purpose: word('purpose', view.purpose), version: view.version }),
      ),
      shown.length === 0 ? h('p', { class: 'empty' }, t('cw.record.noSections')) : null,
      ...shown.map((section) =>
        h(
          'section',
          { class: withheld.has(section) ? 'record-section withheld' : 'record-section', 'data-section': section },
          h('h2', {}, word('section', section)),
          withheld.has(section)
            ? h('p', { class: 'withheld-text' }, withheldText(withheld.get(section) ?? 'no-consent'))
            : content(view.sections[section]),
        ),
      ),
    ];
    return page;
  },
};
