import type { RequestHandler, Router } from 'express';
import type { MongoClient } from 'mongodb';
import type { AuthenticationOptions } from '../../api/auth';
import type { ClaimNames } from '../../domain/principal-claims';
import type { Logger } from '../../runtime/logger';
import { csrfProtection, sameOriginOnly } from './csrf';
import { RelyingParty, type RelyingPartySettings } from './relying-party';
import { signInRoutes } from './routes';
import { sessionMiddleware, type SessionSettings } from './sessions';

/**
 * Sign-in for people, composed: sessions in MongoDB, the sign-in routes, and what the API's
 * authentication needs (the session's principal with its CSRF check, and the provider's
 * access tokens). The provider is known only once the service listens (the embedded one is
 * registered with the service's own address), so the relying party is set by `connect`.
 */
export interface SignInOptions {
  mongo: MongoClient;
  sessions: SessionSettings;
  claimNames: ClaimNames;
  /** `aud` of the provider's access tokens for this API. */
  audience: string;
  logger: Logger;
}

export class SignIn {
  private relyingParty?: RelyingParty;
  private issuer?: string;
  private origin = '';
  readonly sessions: RequestHandler[];
  readonly routes: Router;

  constructor(private readonly options: SignInOptions) {
    this.sessions = sessionMiddleware(options.mongo, options.sessions);
    this.routes = signInRoutes({
      relyingParty: () => this.relyingParty,
      claimNames: options.claimNames,
      publicOrigin: () => this.origin,
      logger: options.logger,
    });
  }

  /** The provider to sign in with, and the service's browser-facing address. */
  connect(settings: RelyingPartySettings, publicUrl: string): void {
    this.relyingParty = new RelyingParty(settings);
    this.issuer = settings.issuer;
    this.origin = new URL(publicUrl).origin;
  }

  /**
   * For `authenticate`: sessions (with CSRF) and the provider's JWT access tokens. The codec
   * endpoint (`forCodec`) takes a session from the service's own origin without the token.
   */
  authentication(options: { forCodec?: boolean } = {}): AuthenticationOptions {
    const csrf = options.forCodec ? sameOriginOnly(() => this.origin) : csrfProtection(() => this.origin);
    return {
      session: { csrf },
      provider: {
        issuer: () => this.issuer,
        audience: this.options.audience,
        jwksUri: () => (this.relyingParty ? this.relyingParty.jwksUri() : Promise.reject(new Error('sign-in is not connected yet'))),
        claimNames: this.options.claimNames,
      },
    };
  }
}
