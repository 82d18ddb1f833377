import { Module } from '@nestjs/common';
import { SessionResolver } from '@harbour/auth';
import { NetworkModule } from '@harbour/network';
import { PrivacyModule } from '@harbour/privacy';
import { ConsoleAuth } from './console-auth.js';
import { ConsoleSessions } from './console-sessions.js';
import { ConsoleQueries } from './console.queries.js';

/**
 * The web console's server side: its sessions (the API's guard accepts them in place of a
 * bearer token, through the SessionResolver port) and sign-in. Its routes and static files are
 * registered on the HTTP server by `registerConsole` (configureApp).
 */
@Module({
  imports: [NetworkModule, PrivacyModule],
  providers: [ConsoleAuth, ConsoleQueries, ConsoleSessions, { provide: SessionResolver, useExisting: ConsoleSessions }],
  exports: [ConsoleAuth, ConsoleSessions, SessionResolver],
})
export class ConsoleModule {}
