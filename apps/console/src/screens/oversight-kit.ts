/**
 * Small building blocks the oversight screens (admin, privacy, analyst) share: labelled fields,
 * forms that show the API's field errors next to their fields, tables with header cells, short
 * ids with the full id in the title, empty states and the read-replica staleness note.
 * Everything goes in as text (dom.ts); nothing here stores anything in the browser.
 */
import { ApiProblem } from '../api.js';
import { type Child, h, replace } from '../dom.js';
import { formatDateTime, registerMessages, t } from '../i18n.js';
import type { ScreenContext } from '../screen.js';

registerMessages({
  en: {
    'kit.any': 'Any',
    'kit.none': '—',
    'kit.problem': 'The request was refused: {detail}',
    'kit.fix-fields': 'Please correct the fields marked below.',
    'kit.stale': 'This answer came from a read replica; it may be up to {seconds} s behind.',
    'kit.fresh': 'This answer came from the primary database (up to date).',
    'kit.required': '(required)',
    'kit.saved': 'Saved',
  },
  fr: {
    'kit.any': 'Tous',
    'kit.none': '—',
    'kit.problem': 'La demande a été refusée : {detail}',
    'kit.fix-fields': 'Veuillez corriger les champs signalés ci-dessous.',
    'kit.stale': 'Cette réponse vient d’une réplique en lecture ; elle peut avoir jusqu’à {seconds} s de retard.',
    'kit.fresh': 'Cette réponse vient de la base principale (à jour).',
    'kit.required': '(obligatoire)',
    'kit.saved': 'Enregistré',
  },
});

let sequence = 0;
/** A document-unique id for binding labels, hints and errors. */
export function uid(prefix: string): string {
  sequence += 1;
  return `${prefix}-${sequence}`;
}

export type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

/**
 * A label bound to its control, an optional hint and an error slot the control is described by.
 * `name` is the API's field name: field errors from problem.errors land here.
 */
export function field(
  label: string,
  control: Control,
  options: { hint?: string; required?: boolean } = {},
): HTMLElement {
  if (!control.id) control.id = uid(`f-${control.name || 'field'}`);
  const errorId = `${control.id}-error`;
  const hintId = options.hint ? `${control.id}-hint` : null;
  control.setAttribute('aria-describedby', [hintId, errorId].filter(Boolean).join(' '));
  if (options.required) control.required = true;
  return h(
    'div',
    { class: 'field', 'data-field': control.name },
    h(
      'label',
      { for: control.id },
      label,
      options.required ? h('span', { class: 'required' }, ` ${t('kit.required')}`) : null,
    ),
    hintId ? h('p', { class: 'field-hint', id: hintId }, options.hint) : null,
    control,
    h('p', { class: 'field-error', id: errorId, hidden: true }),
  );
}

export function input(
  name: string,
  attrs: Record<string, string | number | boolean | undefined> = {},
): HTMLInputElement {
  return h('input', { name, type: 'text', ...attrs });
}

export function textarea(
  name: string,
  attrs: Record<string, string | number | boolean | undefined> = {},
): HTMLTextAreaElement {
  return h('textarea', { name, rows: 3, ...attrs });
}

/** A select of fixed values; `any` adds an empty first option (no filter). */
export function select(
  name: string,
  values: readonly string[],
  options: { value?: string; any?: boolean; label?: (value: string) => string } = {},
): HTMLSelectElement {
  const label = options.label ?? ((v: string) => v);
  return h(
    'select',
    { name },
    options.any ? h('option', { value: '', selected: !options.value }, t('kit.any')) : null,
    values.map((v) => h('option', { value: v, selected: v === options.value }, label(v))),
  );
}

/** A fieldset of checkboxes (roles, needs): the legend names the whole group. */
export function checkboxes(
  name: string,
  legend: string,
  values: readonly string[],
  checked: readonly string[] = [],
  label: (value: string) => string = (v) => v,
): HTMLFieldSetElement {
  const errorId = uid(`f-${name}-error`);
  return h(
    'fieldset',
    { class: 'checkboxes', 'data-field': name, 'aria-describedby': errorId },
    h('legend', {}, legend),
    values.map((v) => {
      const id = uid(`f-${name}-${v}`);
      return h(
        'div',
        { class: 'checkbox' },
        h('input', { type: 'checkbox', id, name, value: v, checked: checked.includes(v) }),
        h('label', { for: id }, label(v)),
      );
    }),
    h('p', { class: 'field-error', id: errorId, hidden: true }),
  );
}

/** The checked values of a checkbox group. */
export function checkedValues(form: HTMLFormElement, name: string): string[] {
  return [...form.querySelectorAll<HTMLInputElement>(`input[type=checkbox][name="${name}"]`)]
    .filter((box) => box.checked)
    .map((box) => box.value);
}

export function value(form: HTMLFormElement, name: string): string {
  const control = form.elements.namedItem(name) as Control | null;
  return control ? control.value.trim() : '';
}

/** A list typed as "a, b, c". */
export function listValue(form: HTMLFormElement, name: string): string[] {
  return value(form, name)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function clearErrors(form: HTMLFormElement): void {
  for (const slot of form.querySelectorAll<HTMLElement>('.field-error')) {
    slot.hidden = true;
    slot.textContent = '';
  }
  for (const control of form.querySelectorAll('[aria-invalid]')) control.removeAttribute('aria-invalid');
  const summary = form.querySelector<HTMLElement>('.form-problem');
  if (summary) {
    summary.hidden = true;
    summary.textContent = '';
  }
}

/** Shows a problem on a form: each field error next to its field, the detail on top (role=alert). */
export function showProblem(form: HTMLFormElement, problem: ApiProblem): void {
  clearErrors(form);
  let first: HTMLElement | null = null;
  for (const error of problem.problem.errors ?? []) {
    // `contact.email`, `regions.0` or `hours.0.opens`: the closest field the form has.
    const names = [error.field, error.field.replace(/\.\d+$/, ''), error.field.split('.')[0]];
    const holder = names
      .map((n) => form.querySelector<HTMLElement>(`[data-field="${n}"]`))
      .find((el): el is HTMLElement => el !== null);
    if (!holder) continue;
    const slot = holder.querySelector<HTMLElement>('.field-error');
    if (slot) {
      slot.hidden = false;
      slot.textContent = slot.textContent ? `${slot.textContent} ${error.problem}` : error.problem;
    }
    const control = holder.querySelector<HTMLElement>('input, select, textarea');
    control?.setAttribute('aria-invalid', 'true');
    first ??= control ?? null;
  }
  let summary = form.querySelector<HTMLElement>('.form-problem');
  if (!summary) {
    summary = h('div', { class: 'problem form-problem', role: 'alert' });
    form.prepend(summary);
  }
  summary.hidden = false;
  const detail = problem.problem.detail || problem.problem.title;
  summary.textContent = `${t('kit.problem', { detail })}${problem.problem.errors?.length ? ` ${t('kit.fix-fields')}` : ''}`;
  // The first field in error, in the order a keyboard user meets them.
  (form.querySelector<HTMLElement>('[aria-invalid="true"]') ?? first)?.focus();
}

/**
 * A form whose submit runs `work` under the shell's progress indicator. A refusal (ApiProblem)
 * is shown on the form itself, field errors next to their fields; anything else goes to the shell.
 */
export function form(
  ctx: ScreenContext,
  options: { label: string; busyLabel: string; className?: string },
  children: Child[],
  work: (form: HTMLFormElement) => Promise<void>,
): HTMLFormElement {
  const element: HTMLFormElement = h(
    'form',
    {
      class: options.className ?? 'form',
      novalidate: true,
      'aria-label': options.label,
      onsubmit: (event: Event) => {
        event.preventDefault();
        clearErrors(element);
        void ctx
          .busy(options.busyLabel, async () => {
            try {
              await work(element);
            } catch (error) {
              if (error instanceof ApiProblem) showProblem(element, error);
              else throw error;
            }
          })
          .catch(() => undefined); // the shell has shown it (busy shows what it did not expect)
      },
    },
    children,
  );
  return element;
}

export function submit(label: string): HTMLButtonElement {
  return h('button', { type: 'submit', class: 'primary' }, label);
}

/** A table with a caption and column headers (`<th scope=col>`); the first cell of each row is its header. */
export function table(
  caption: string,
  headers: string[],
  rows: Child[][],
  options: { rowHeader?: boolean } = {},
): HTMLElement {
  const rowHeader = options.rowHeader ?? false;
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      {},
      h('caption', {}, caption),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          headers.map((label) => h('th', { scope: 'col' }, label)),
        ),
      ),
      h(
        'tbody',
        {},
        rows.map((cells) =>
          h(
            'tr',
            {},
            cells.map((cell, i) => (rowHeader && i === 0 ? h('th', { scope: 'row' }, cell) : h('td', {}, cell))),
          ),
        ),
      ),
    ),
  );
}

/** The first 8 characters of an id, the whole id in the title (and for screen readers). */
export function shortId(id: string | null | undefined): Child {
  if (!id) return t('kit.none');
  if (id.length <= 12) return h('code', {}, id);
  return h('code', { title: id, 'aria-label': id }, `${id.slice(0, 8)}…`);
}

export function when(iso: string | null | undefined): string {
  return iso ? formatDateTime(iso) : t('kit.none');
}

/** An empty state that says why it is empty and what would fill it. */
export function empty(text: string): HTMLElement {
  return h('p', { class: 'empty' }, text);
}

/** Where the answer came from, when the API said (`Harbour-Data-Staleness`, seconds). */
export function staleness(headers: Headers): HTMLElement | null {
  const raw = headers.get('Harbour-Data-Staleness');
  if (raw === null) return null;
  const seconds = Number(raw);
  return h(
    'p',
    { class: seconds > 0 ? 'staleness stale' : 'staleness' },
    seconds > 0 ? t('kit.stale', { seconds: raw }) : t('kit.fresh'),
  );
}

/** A region that redraws itself (a list after a change). */
export function region(label: string): HTMLElement {
  return h('section', { 'aria-label': label, class: 'region' });
}

export async function redraw(target: Element, draw: () => Promise<Child | Child[]>): Promise<void> {
  const content = await draw();
  replace(target, ...(Array.isArray(content) ? content : [content]));
}

/** A hash with its query: `#/privacy/access-log?purpose=referral`. */
export function hashWith(route: string, query: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v) params.set(k, v);
  const search = params.toString();
  return search ? `${route}?${search}` : route;
}

export function link(href: string, text: Child, attrs: Record<string, string> = {}): HTMLAnchorElement {
  return h('a', { href, ...attrs }, text);
}
