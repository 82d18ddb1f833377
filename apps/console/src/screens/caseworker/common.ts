/**
 * Small building blocks shared by the caseworker screens: labelled fields whose API field errors
 * appear next to them, option lists of the API's words, short ids with the full id in the title.
 * Every value goes into the page as text (dom.ts): nothing read from the API becomes markup.
 */
import { ApiProblem } from '../../api.js';
import { type Child, h, replace } from '../../dom.js';
import { formatDate, formatDateTime, t } from '../../i18n.js';
import type { ScreenContext } from '../../screen.js';

let counter = 0;
/** A page-unique element id (labels bind to inputs with it). */
export const uid = (prefix: string): string => `${prefix}-${++counter}`;

/** A word of the API shown in the user's language: `word('section', 'needs')`. */
export const word = (kind: string, value: string): string => {
  const key = `cw.${kind}.${value}`;
  const text = t(key);
  return text === key ? value : text;
};

export const words = (kind: string, values: readonly string[]): string => values.map((v) => word(kind, v)).join(', ');

/** The first 8 characters of an id; the whole id in the title. */
export function shortId(id: string): HTMLElement {
  return h('span', { class: 'id', title: id }, id.slice(0, 8));
}

export function link(hash: string, ...children: Child[]): HTMLAnchorElement {
  return h('a', { href: hash }, ...children);
}

export const date = (iso: string | null | undefined): string => (iso ? formatDate(iso) : '—');
export const dateTime = (iso: string | null | undefined): string => (iso ? formatDateTime(iso) : '—');

/** An empty state that says why it is empty and what fills it. */
export const empty = (key: string): HTMLElement => h('p', { class: 'empty' }, t(key));

export interface Field {
  /** The wrapper (label, control, hint, error); `data-field` names the API field it answers for. */
  element: HTMLElement;
  control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
}

interface FieldOptions {
  hint?: string;
  required?: boolean;
  value?: string;
}

function wrap(apiField: string, id: string, label: string, control: HTMLElement, options: FieldOptions): HTMLElement {
  const hintId = options.hint ? `${id}-hint` : undefined;
  const errorId = `${id}-error`;
  control.setAttribute('aria-describedby', [hintId, errorId].filter(Boolean).join(' '));
  return h(
    'div',
    { class: 'field', 'data-field': apiField },
    h(
      'label',
      { for: id },
      label,
      options.required ? h('span', { class: 'required' }, ` (${t('cw.required')})`) : null,
    ),
    options.hint ? h('p', { class: 'hint', id: hintId }, options.hint) : null,
    control,
    h('p', { class: 'field-error', id: errorId, role: 'alert', hidden: true }),
  );
}

/** `<input>` with its label; `type` text, date, datetime-local, email, tel, number. */
export function input(apiField: string, label: string, type = 'text', options: FieldOptions = {}): Field {
  const id = uid('f');
  const control = h('input', { id, name: apiField, type, required: options.required, value: options.value });
  return { element: wrap(apiField, id, label, control, options), control };
}

export function textarea(apiField: string, label: string, options: FieldOptions = {}): Field {
  const id = uid('f');
  const control = h('textarea', { id, name: apiField, rows: 4, required: options.required }, options.value ?? '');
  return { element: wrap(apiField, id, label, control, options), control };
}

/** A `<select>` of the API's words (`kind` names their labels), with an optional empty first choice. */
export function select(
  apiField: string,
  label: string,
  values: readonly string[],
  kind: string | ((value: string) => string),
  options: FieldOptions & { blank?: boolean } = {},
): Field {
  const id = uid('f');
  const name = typeof kind === 'string' ? (v: string) => word(kind, v) : kind;
  const control = h(
    'select',
    { id, name: apiField, required: options.required },
    options.blank ? h('option', { value: '' }, t('cw.choose')) : null,
    values.map((v) => h('option', { value: v, selected: v === options.value }, name(v))),
  );
  return { element: wrap(apiField, id, label, control, options), control };
}

export interface Choices {
  element: HTMLFieldSetElement;
  checked: () => string[];
}

/** A fieldset of checkboxes (or radios) with a legend; its API field errors show under it. */
export function choices(
  apiField: string,
  legend: string,
  values: readonly string[],
  kind: string | ((value: string) => string),
  options: { radio?: boolean; checked?: readonly string[]; hint?: string } = {},
): Choices {
  const group = uid('g');
  const name = typeof kind === 'string' ? (v: string) => word(kind, v) : kind;
  const boxes = values.map((value) => {
    const id = uid('c');
    const box = h('input', {
      id,
      type: options.radio ? 'radio' : 'checkbox',
      name: group,
      value,
      checked: options.checked?.includes(value),
    });
    return { box, element: h('div', { class: 'choice' }, box, h('label', { for: id }, name(value))) };
  });
  const element = h(
    'fieldset',
    { class: 'choices', 'data-field': apiField },
    h('legend', {}, legend),
    options.hint ? h('p', { class: 'hint' }, options.hint) : null,
    h(
      'div',
      { class: 'choice-list' },
      boxes.map((b) => b.element),
    ),
    h('p', { class: 'field-error', role: 'alert', hidden: true }),
  );
  return { element, checked: () => boxes.filter((b) => b.box.checked).map((b) => b.box.value) };
}

/** Clears the field errors of a form (before a new attempt). */
export function clearErrors(form: HTMLElement): void {
  for (const error of form.querySelectorAll<HTMLElement>('.field-error')) {
    error.hidden = true;
    error.textContent = '';
  }
  for (const invalid of form.querySelectorAll('[aria-invalid]')) invalid.removeAttribute('aria-invalid');
  form.querySelector('.form-errors')?.remove();
}

/**
 * Shows a 400's field problems next to their fields (the closest `data-field`, by the API's dotted
 * path) and the others in a summary at the top of the form. Answers whether it showed anything.
 */
export function showFieldErrors(form: HTMLElement, problem: ApiProblem): boolean {
  const errors = problem.problem.errors ?? [];
  if (errors.length === 0) return false;
  const fields = [...form.querySelectorAll<HTMLElement>('[data-field]')];
  const unplaced: string[] = [];
  let first: HTMLElement | null = null;
  for (const error of errors) {
    const target =
      fields.find((f) => f.dataset.field === error.field) ??
      fields
        .filter((f) => error.field.startsWith(`${f.dataset.field}.`))
        .sort((a, b) => (b.dataset.field ?? '').length - (a.dataset.field ?? '').length)[0];
    if (!target) {
      unplaced.push(`${error.field}: ${error.problem}`);
      continue;
    }
    const slot = target.querySelector<HTMLElement>('.field-error');
    if (slot) {
      slot.hidden = false;
      slot.textContent = slot.textContent ? `${slot.textContent}; ${error.problem}` : error.problem;
    }
    target.querySelector('input, select, textarea')?.setAttribute('aria-invalid', 'true');
    first ??= target;
  }
  const summary = h(
    'div',
    { class: 'form-errors', role: 'alert' },
    h('p', {}, problem.problem.detail || problem.problem.title || t('cw.fixFields')),
    unplaced.length
      ? h(
          'ul',
          {},
          unplaced.map((u) => h('li', {}, u)),
        )
      : null,
  );
  form.prepend(summary);
  (first?.querySelector<HTMLElement>('input, select, textarea') ?? summary).focus?.();
  return true;
}

/**
 * Runs a form's write with visible progress: field problems go next to their fields, any other
 * problem to the shell (ctx.busy shows it with what to do).
 */
export async function submit(
  ctx: ScreenContext,
  form: HTMLElement,
  label: string,
  work: () => Promise<void>,
): Promise<void> {
  clearErrors(form);
  await ctx
    .busy(label, async () => {
      try {
        await work();
      } catch (error) {
        if (error instanceof ApiProblem && showFieldErrors(form, error)) return;
        throw error;
      }
    })
    .catch(() => undefined);
}

/** A definition list of label → value pairs (values as text). */
export function facts(rows: [string, Child | Child[]][]): HTMLDListElement {
  return h(
    'dl',
    { class: 'facts' },
    rows.flatMap(([label, value]) => [h('dt', {}, label), h('dd', {}, value)]),
  );
}

/** A table with a caption and column headers (`<th scope="col">`). */
/** A table cell's content: text, elements, or lists of them. */
export type Cell = Child | Child[] | (Child | Child[])[];

export function table(caption: string, headers: string[], rows: Cell[][]): HTMLTableElement {
  return h(
    'table',
    {},
    h('caption', {}, caption),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        headers.map((head) => h('th', { scope: 'col' }, head)),
      ),
    ),
    h(
      'tbody',
      {},
      rows.map((cells) =>
        h(
          'tr',
          {},
          cells.map((cell) => h('td', {}, ...[cell].flat(2))),
        ),
      ),
    ),
  );
}

/** Previous/next links for a paged list. */
export function pager(hash: string, page: number, pageSize: number, total: number): HTMLElement | null {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages <= 1) return null;
  const to = (p: number) => `${hash}${hash.includes('?') ? '&' : '?'}page=${p}`;
  return h(
    'nav',
    { class: 'pager', 'aria-label': t('cw.pages') },
    page > 1 ? link(to(page - 1), t('cw.previous')) : null,
    h('span', {}, t('cw.pageOf', { page, pages })),
    page < pages ? link(to(page + 1), t('cw.next')) : null,
  );
}

/** Redraws one part of a screen (after an action) without leaving it. */
export function region(label: string): { element: HTMLElement; show: (...children: Child[]) => void } {
  const element = h('section', { 'aria-label': label });
  return { element, show: (...children) => replace(element, ...children) };
}

/** A button that runs `action` on click. */
export function button(label: string, action: () => void, kind: 'primary' | 'secondary' | 'danger' = 'secondary') {
  return h('button', { type: 'button', class: `button ${kind}`, onclick: () => action() }, label);
}

export const pageNumber = (query: URLSearchParams): number => {
  const n = Number(query.get('page') ?? '1');
  return Number.isInteger(n) && n >= 1 ? n : 1;
};
