import { type DynamicModule, Logger, Module, type Type } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CLOCK, type Clock, HarbourConfig } from '@harbour/kernel';
import { AuthGuard } from './auth.guard.js';
import { authSource } from './auth-source.js';
import { DevKeys } from './dev-keys.js';
import { type JwksCacheOptions, TokenVerifier } from './token-verifier.js';

export interface AuthModuleOptions {
  /** JWKS cache timings (tests shorten them to show rotation; production keeps the defaults). */
  jwks?: JwksCacheOptions;
  /** The module that exports the StaffDirectory (the network context's), so the guard can ask it. */
  imports?: Array<Type<unknown> | DynamicModule>;
}

/** The options as a provider, so a test can override them in an app that already imports AuthModule. */
export const AUTH_MODULE_OPTIONS = Symbol('AuthModuleOptions');

/**
 * Bearer-token authentication and the global AuthGuard for the API. Needs HarbourConfig and CLOCK
 * (KernelModule) and a module exporting a StaffDirectory, passed as `imports` (the network
 * context's module); without one Nest refuses to boot, naming StaffDirectory.
 * Boot also fails (ConfigError) when no token source is configured.
 */
@Module({})
export class AuthModule {
  static forRoot(options: AuthModuleOptions = {}): DynamicModule {
    return {
      module: AuthModule,
      imports: options.imports ?? [],
      providers: [
        {
          provide: DevKeys,
          inject: [HarbourConfig, CLOCK],
          useFactory: (config: HarbourConfig, clock: Clock) =>
            config.HARBOUR_DEV_KEYS ? new DevKeys(config, clock) : null,
        },
        { provide: AUTH_MODULE_OPTIONS, useValue: options },
        {
          provide: TokenVerifier,
          inject: [HarbourConfig, CLOCK, DevKeys, AUTH_MODULE_OPTIONS],
          useFactory: async (
            config: HarbourConfig,
            clock: Clock,
            devKeys: DevKeys | null,
            { jwks }: AuthModuleOptions,
          ) => {
            const source = authSource(config); // throws ConfigError naming the variables
            // Load (or create) the dev key pair now, so its warning and any file problem show at boot.
            if (devKeys) await devKeys.publicKey();
            if (source.kind === 'jwks')
              new Logger('Auth').log({
                msg: 'accepting tokens from the identity provider',
                issuer: source.issuer,
                jwks: source.jwksUrl.href,
              });
            return new TokenVerifier(source, clock, devKeys, jwks);
          },
        },
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
      exports: [TokenVerifier, DevKeys],
    };
  }
}
