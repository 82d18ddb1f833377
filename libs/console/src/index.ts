export * from './console-auth.js';
export * from './console-sessions.js';
export * from './console.http.js';
export * from './console.module.js';
export * from './console.queries.js';
export * from './errors.js';
export * from './oidc-sign-in.js';

import { Console1767600000000 } from './console.migrations.js';
export const consoleMigrations = [Console1767600000000];
