/**
 * The console's shell: loads the session (or shows the sign-in page), routes `#/…` hashes to
 * the registered screens, draws the navigation for the user's roles, shows progress and
 * problems, ends the page when the session ends, and switches the language.
 */
import { api, ApiProblem, configureApi, type Problem } from './api.js';
import { type Child, h, replace } from './dom.js';
import {
  currentLanguage,
  type Language,
  LANGUAGES,
  missingTranslations,
  registerMessages,
  setLanguage,
  t,
} from './i18n.js';
import { allScreens, registerScreens, type Screen, type ScreenContext, type SessionUser } from './screen.js';
import { shellMessages } from './shell-messages.js';
import './screens/index.js';

/** GET /console/session */
interface Session extends SessionUser {
  csrfToken: string;
  idleTimeoutSeconds: number;
  expiresAt: string;
}

interface DevUser {
  userId: string;
  displayName: string;
  agencyId: string;
  agencyName: string;
  roles: string[];
}

type SignInReason = 'ended' | 'signed-out' | 'failed' | 'not-staff';

const LANGUAGE_KEY = 'harbour.language';

const main = () => document.getElementById('main') as HTMLElement;
const nav = () => document.getElementById('nav') as HTMLElement;
const tools = () => document.getElementById('header-tools') as HTMLElement;
const statusRegion = () => document.getElementById('status') as HTMLElement;
const progress = () => document.getElementById('progress') as HTMLElement;

let session: Session | null = null;
/** Each navigation draws anew; an older render that finishes late is dropped. */
let renderCount = 0;
let lastActivity = Date.now();
let idleTimer: number | undefined;
let busyCount = 0;
/** Problems already shown on the page (so their rejection is not reported twice). */
const shown = new WeakSet<object>();

// ——— home screen (what the user can do, by role) ———

const homeScreen: Screen = {
  route: '#/',
  title: 'home.title',
  nav: { roles: [], order: 0 },
  roles: [],
  render: async (ctx) => {
    const roles = ctx.user.roles
      .map((role) => ({ role, text: t(`home.role.${role}`) }))
      .filter((r) => r.text !== `home.role.${r.role}`);
    const pages = navScreens(ctx.user).filter((s) => s.route !== '#/');
    return [
      h('p', {}, t('home.welcome', { name: ctx.user.displayName })),
      h('h2', {}, t('home.whatYouCanDo')),
      roles.length
        ? h('ul', {}, ...roles.map((r) => h('li', {}, r.text)))
        : h('p', { class: 'empty' }, t('home.noRoles')),
      h('h2', {}, t('home.pages')),
      pages.length
        ? h('ul', { class: 'card-list' }, ...pages.map((s) => h('li', {}, h('a', { href: s.route }, t(s.title)))))
        : h('p', { class: 'empty' }, t('home.noPages')),
    ];
  },
};

// ——— routing ———

/** `#/records/:intakeId` against `#/records/123` → {intakeId: '123'}, or null. */
export function matchRoute(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(':')) {
      if (!got[i]) return null;
      try {
        params[want[i].slice(1)] = decodeURIComponent(got[i]);
      } catch {
        return null;
      }
    } else if (want[i] !== got[i]) return null;
  }
  return params;
}

const allowed = (screen: Screen, user: SessionUser) =>
  screen.roles.length === 0 || screen.roles.some((role) => user.roles.includes(role));

function navScreens(user: SessionUser): Screen[] {
  return allScreens()
    .filter((s) => s.nav && (s.nav.roles.length === 0 || s.nav.roles.some((role) => user.roles.includes(role))))
    .filter((s) => allowed(s, user))
    .sort((a, b) => (a.nav!.order ?? 0) - (b.nav!.order ?? 0));
}

function currentHash(): { path: string; query: URLSearchParams } {
  const hash = location.hash && location.hash.startsWith('#/') ? location.hash : '#/';
  const at = hash.indexOf('?');
  return at < 0
    ? { path: hash, query: new URLSearchParams() }
    : { path: hash.slice(0, at), query: new URLSearchParams(hash.slice(at + 1)) };
}

function navigate(hash: string): void {
  if (location.hash === hash) void route();
  else location.hash = hash;
}

function announce(message: string): void {
  const region = statusRegion();
  region.textContent = '';
  // A fresh text node after a tick, so screen readers announce a repeated message too.
  window.setTimeout(() => (region.textContent = message), 50);
}

async function busy<T>(label: string, work: () => Promise<T>): Promise<T> {
  busyCount++;
  const bar = progress();
  bar.hidden = false;
  (document.getElementById('progress-label') as HTMLElement).textContent = t('shell.working', { label });
  main().setAttribute('aria-busy', 'true');
  announce(t('shell.working', { label }));
  try {
    const result = await work();
    announce(t('shell.done', { label }));
    return result;
  } catch (error) {
    showProblem(error, document.getElementById('page-problem'));
    throw error;
  } finally {
    busyCount--;
    if (busyCount === 0) {
      bar.hidden = true;
      main().removeAttribute('aria-busy');
    }
  }
}

/** Draws the screen the hash names: h1 + document.title, then what it renders; problems shown in place. */
async function route(): Promise<void> {
  if (!session) return;
  const user = session;
  const { path, query } = currentHash();
  const mine = ++renderCount;
  let screen: Screen | undefined;
  let params: Record<string, string> = {};
  for (const candidate of allScreens()) {
    const found = matchRoute(candidate.route, path);
    if (found) {
      screen = candidate;
      params = found;
      break;
    }
  }
  drawNav(screen);
  // The session may have ended meanwhile (idle, signed out elsewhere): a 401 here shows the sign-in page.
  void api.get<Session>('/console/session').catch(() => undefined);
  if (!screen) return page('shell.notFound.title', h('p', {}, t('shell.notFound.body')));
  if (!allowed(screen, user)) return page('shell.notAllowed.title', h('p', {}, t('shell.notAllowed.body')));
  const body = h('div', { class: 'screen-body' }, h('p', { class: 'muted' }, t('shell.loading')));
  page(screen.title, body);
  const ctx: ScreenContext = { user, params, query, navigate, announce, busy };
  main().setAttribute('aria-busy', 'true');
  try {
    const content = await screen.render(ctx);
    if (mine !== renderCount || !session) return;
    replace(body, ...(Array.isArray(content) ? content : [content]));
  } catch (error) {
    if (mine !== renderCount || !session) return;
    replace(body);
    showProblem(error, body);
  } finally {
    if (mine === renderCount && busyCount === 0) main().removeAttribute('aria-busy');
  }
}

/** The page frame: h1 (focused, for screen readers and keyboard users), a problem slot, the body. */
function page(titleKey: string, ...content: Child[]): void {
  const title = t(titleKey);
  document.title = `${title} — ${t('app.name')}`;
  const heading = h('h1', { tabindex: '-1', id: 'page-title' }, title);
  replace(main(), heading, h('div', { id: 'page-problem' }), ...content);
  heading.focus();
}

function drawNav(active: Screen | undefined): void {
  if (!session) return replace(nav());
  const links = navScreens(session).map((s) =>
    h(
      'li',
      {},
      h(
        'a',
        { href: s.route, 'aria-current': active?.route === s.route ? 'page' : null },
        t(s.nav && s.route === '#/' ? 'shell.home' : s.title),
      ),
    ),
  );
  nav().setAttribute('aria-label', t('shell.nav'));
  replace(nav(), h('ul', {}, ...links));
}

// ——— problems ———

function problemOf(error: unknown): Problem {
  if (error instanceof ApiProblem) return error.problem;
  return {
    type: 'about:blank',
    title: t('problem.title'),
    status: 0,
    detail: error instanceof TypeError ? t('problem.network') : '',
    code: 'console-error',
  };
}

const whatToDo = (status: number): string => {
  const key = `problem.do.${status}`;
  const text = t(key);
  return text === key ? t('problem.do.other') : text;
};

/** The problem's title and detail, its field errors and what to do (by status), as an alert. */
export function problemView(error: unknown): HTMLElement {
  const problem = problemOf(error);
  return h(
    'div',
    { class: 'problem', role: 'alert' },
    h('h2', {}, problem.title || t('problem.title')),
    problem.detail ? h('p', {}, problem.detail) : null,
    problem.errors?.length
      ? [
          h('p', {}, t('problem.fields')),
          h('ul', {}, ...problem.errors.map((e) => h('li', {}, h('code', {}, e.field), ': ', e.problem))),
        ]
      : null,
    h('p', {}, h('strong', {}, whatToDo(problem.status))),
    problem.requestId ? h('p', { class: 'muted' }, t('problem.reference', { id: problem.requestId })) : null,
  );
}

function showProblem(error: unknown, where: Element | null): void {
  if (error instanceof ApiProblem && error.status === 401) return; // the sign-in page takes over
  if (typeof error === 'object' && error !== null) shown.add(error);
  const target = where ?? main();
  replace(target, problemView(error));
}

// ——— session ———

function resetIdleTimer(): void {
  lastActivity = Date.now();
}

function watchIdle(): void {
  window.clearInterval(idleTimer);
  idleTimer = window.setInterval(() => {
    if (!session) return window.clearInterval(idleTimer);
    const idleMs = session.idleTimeoutSeconds * 1000;
    // The server keeps the session's expiry (its clock, not this machine's): a 401 past it ends the page too.
    if (Date.now() - lastActivity >= idleMs) signedOut('ended');
  }, 5_000);
}

function signedOut(reason: SignInReason): void {
  session = null;
  window.clearInterval(idleTimer);
  configureApi({ csrfToken: '', onSignedOut: () => undefined });
  void showSignIn(reason);
}

function begin(view: Session): void {
  session = view;
  configureApi({ csrfToken: view.csrfToken, onSignedOut: () => signedOut('ended'), onActivity: resetIdleTimer });
  resetIdleTimer();
  watchIdle();
  drawTools();
  void route();
}

async function signOut(): Promise<void> {
  try {
    await api.post('/console/auth/sign-out');
  } finally {
    signedOut('signed-out');
  }
}

function drawTools(): void {
  const language = h(
    'select',
    {
      id: 'language',
      onchange: (event: Event) => switchLanguage((event.target as HTMLSelectElement).value as Language),
    },
    ...LANGUAGES.map((lang) =>
      h('option', { value: lang, selected: lang === currentLanguage() }, t(`shell.language.${lang}`)),
    ),
  );
  replace(
    tools(),
    session ? h('p', { class: 'who' }, t('shell.signedInAs', { name: session.displayName })) : null,
    h('label', { for: 'language' }, t('shell.language')),
    language,
    session ? h('button', { type: 'button', id: 'sign-out', onclick: () => void signOut() }, t('shell.signOut')) : null,
  );
  (document.getElementById('skip-link') as HTMLElement).textContent = t('shell.skip');
}

function switchLanguage(next: Language): void {
  setLanguage(next);
  try {
    localStorage.setItem(LANGUAGE_KEY, next);
  } catch {
    // storage refused (private mode): the choice lasts for this page only
  }
  drawTools();
  (document.getElementById('language') as HTMLSelectElement).focus();
  if (session) void route();
  else void showSignIn(null);
}

// ——— sign-in page ———

async function showSignIn(reason: SignInReason | null): Promise<void> {
  renderCount++;
  replace(nav());
  drawTools();
  const messages: Record<SignInReason, [string, string]> = {
    ended: ['warning', 'signIn.ended'],
    'signed-out': ['notice', 'signIn.signedOut'],
    failed: ['problem', 'signIn.failed'],
    'not-staff': ['problem', 'signIn.notStaff'],
  };
  const body = h('div', {});
  page(
    'signIn.title',
    reason ? h('p', { class: messages[reason][0], role: 'alert', id: 'sign-in-reason' }, t(messages[reason][1])) : null,
    h('p', {}, t('signIn.intro')),
    body,
  );
  if (location.hash !== '' && location.hash !== '#/')
    history.replaceState(null, '', `${location.pathname}${location.search}#/`);
  let options: { oidc: boolean; dev: boolean };
  try {
    options = (await api.get<{ oidc: boolean; dev: boolean }>('/console/auth/options')).body;
  } catch (error) {
    return showProblem(error, body);
  }
  const parts: Child[] = [];
  if (options.oidc)
    parts.push(
      h('p', {}, h('a', { class: 'button', href: '/console/auth/sign-in', id: 'oidc-sign-in' }, t('signIn.button'))),
    );
  if (options.dev) parts.push(await devPicker());
  if (!options.oidc && !options.dev) parts.push(h('p', { class: 'warning' }, t('signIn.none')));
  replace(body, ...parts);
}

async function devPicker(): Promise<HTMLElement> {
  const users = (await api.get<DevUser[]>('/console/auth/dev-users')).body;
  const section = h('section', { 'aria-labelledby': 'dev-sign-in-title' });
  const problemSlot = h('div', {});
  const pick = async (user: DevUser) => {
    try {
      const view = await busy(t('signIn.dev.signingIn', { name: user.displayName }), () =>
        api.post<Session>('/console/auth/dev-sign-in', { userId: user.userId }),
      );
      begin(view.body);
    } catch (error) {
      replace(problemSlot, problemView(error));
    }
  };
  replace(
    section,
    h('h2', { id: 'dev-sign-in-title' }, t('signIn.dev.title')),
    h('p', {}, t('signIn.dev.intro')),
    problemSlot,
    users.length
      ? h(
          'ul',
          { class: 'user-picker' },
          ...users.map((user) =>
            h(
              'li',
              {},
              h(
                'button',
                { type: 'button', 'data-user-id': user.userId, onclick: () => void pick(user) },
                t('signIn.dev.user', { name: user.displayName, agency: user.agencyName, roles: user.roles.join(', ') }),
              ),
            ),
          ),
        )
      : h('p', { class: 'empty' }, t('signIn.dev.empty')),
  );
  return section;
}

// ——— start ———

async function start(): Promise<void> {
  registerMessages(shellMessages);
  registerScreens(homeScreen);
  let saved: string | null = null;
  try {
    saved = localStorage.getItem(LANGUAGE_KEY);
  } catch {
    saved = null;
  }
  const preferred = (saved ?? navigator.language.slice(0, 2)) as Language;
  setLanguage(LANGUAGES.includes(preferred) ? preferred : 'en');
  // For the browser tests: the catalogue check runs in the page.
  (window as unknown as { harbourConsole: unknown }).harbourConsole = { missingTranslations };
  document.getElementById('skip-link')?.addEventListener('click', (event) => {
    event.preventDefault();
    main().focus();
  });
  window.addEventListener('hashchange', () => void route());
  window.addEventListener('unhandledrejection', (event) => {
    const reason: unknown = event.reason;
    if (typeof reason === 'object' && reason !== null && shown.has(reason)) event.preventDefault();
  });
  const search = new URLSearchParams(location.search);
  const failed = search.get('sign-in');
  if (failed) history.replaceState(null, '', `${location.pathname}${location.hash}`);
  try {
    begin((await api.get<Session>('/console/session')).body);
  } catch (error) {
    if (error instanceof ApiProblem && error.status === 401)
      return showSignIn(failed === 'not-staff' ? 'not-staff' : failed ? 'failed' : null);
    drawTools();
    page('problem.title');
    showProblem(error, document.getElementById('page-problem'));
  }
}

void start();
