/**
 * A screen of the console: a hash route (`#/caseload`, `#/records/:intakeId`), who sees it in the
 * navigation, and how it draws itself. Screens register themselves (screens/index.ts); the shell
 * (main.ts) routes, draws the navigation for the signed-in user's roles and shows errors.
 */
import type { Child } from './dom.js';

/** The signed-in user, as GET /console/session answers. */
export interface SessionUser {
  userId: string;
  displayName: string;
  agencyId: string;
  roles: string[];
}

export interface ScreenContext {
  user: SessionUser;
  /** Route parameters: `#/records/:intakeId` → `{intakeId}`. */
  params: Record<string, string>;
  /** The query part of the hash: `#/access-log?page=2`. */
  query: URLSearchParams;
  /** Moves to another screen (`navigate('#/records/123')`). */
  navigate: (hash: string) => void;
  /** A short message in the shell's live region (role=status), e.g. "Consent saved". */
  announce: (message: string) => void;
  /** Runs a long operation with a visible progress indicator; errors are shown as problems. */
  busy: <T>(label: string, work: () => Promise<T>) => Promise<T>;
}

export interface Screen {
  /** `#/caseload`, or with parameters `#/records/:intakeId`. */
  route: string;
  /** Message key of the title (h1 and document.title). */
  title: string;
  /** Shown in the navigation for users with one of these roles; omit `nav` for inner screens. */
  nav?: { roles: string[]; order: number };
  /** Who may open it at all (the API decides access regardless; this only shapes the console). */
  roles: string[];
  render: (context: ScreenContext) => Promise<Child | Child[]>;
}

const screens: Screen[] = [];

export function registerScreens(...list: Screen[]): void {
  screens.push(...list);
}

export function allScreens(): readonly Screen[] {
  return screens;
}
