// oidc-provider 9 ships no type declarations; this is the little the tests use of it.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export default class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
  }

  export const errors: { InvalidTarget: new (description?: string) => Error };
}
