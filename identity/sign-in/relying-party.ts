import * as oidc from 'openid-client';

/**
 * The platform as an OpenID Connect relying party (backend-for-frontend): it runs the
 * authorization-code flow with PKCE against the configured issuer, so the browser never holds
 * a token. Discovery is lazy and retried on the next sign-in when it failed: a provider that
 * is away makes sign-in fail with a clear page, never the service.
 */
export interface RelyingPartySettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUrl: string;
  /** Where the provider sends the browser after RP-initiated logout. */
  postLogoutRedirectUrl: string;
  scopes: string;
}

/** What a sign-in in progress must remember between the redirect and the callback. */
export interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
  returnTo: string;
  startedAt: number;
}

export interface FinishedSignIn {
  claims: Record<string, unknown>;
  idToken: string;
}

export class SignInUnavailableError extends Error {}
export class SignInRejectedError extends Error {}

export class RelyingParty {
  private configuration?: Promise<oidc.Configuration>;

  constructor(private readonly settings: RelyingPartySettings) {}

  /** The provider's origin (pages that lead there allow it as a form target). */
  get issuerOrigin(): string {
    return new URL(this.settings.issuer).origin;
  }

  /** The provider's metadata (discovery); a failure is forgotten so the next call tries again. */
  provider(): Promise<oidc.Configuration> {
    this.configuration ??= this.discover().catch((err: unknown) => {
      this.configuration = undefined;
      throw new SignInUnavailableError(`The identity provider at ${this.settings.issuer} cannot be reached (${(err as Error).message}).`);
    });
    return this.configuration;
  }

  /** `signInAgain`: the provider asks for credentials even when it has a session (another person). */
  async begin(returnTo: string, signInAgain = false): Promise<{ url: URL; pending: PendingSignIn }> {
    const config = await this.provider();
    const pending: PendingSignIn = {
      state: oidc.randomState(), nonce: oidc.randomNonce(), codeVerifier: oidc.randomPKCECodeVerifier(), returnTo, startedAt: Date.now(),
    };
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.settings.redirectUrl,
      scope: this.settings.scopes,
      response_type: 'code',
      code_challenge: await oidc.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
      ...(signInAgain ? { prompt: 'login' } : {}),
    });
    return { url, pending };
  }

  /** Exchanges the callback's code (checking state, nonce and PKCE) for the ID token's claims. */
  async finish(callbackUrl: URL, pending: PendingSignIn): Promise<FinishedSignIn> {
    const config = await this.provider();
    let tokens;
    try {
      tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: pending.codeVerifier, expectedState: pending.state, expectedNonce: pending.nonce, idTokenExpected: true,
      });
    } catch (err) {
      if (err instanceof TypeError || (err as { code?: string }).code === 'OAUTH_RESPONSE_IS_NOT_CONFORM') throw err;
      throw new SignInRejectedError((err as Error).message);
    }
    const claims = tokens.claims();
    if (!claims || !tokens.id_token) throw new SignInRejectedError('the provider answered without an ID token');
    return { claims: claims as Record<string, unknown>, idToken: tokens.id_token };
  }

  /** The provider's RP-initiated logout, when it offers one. */
  async logoutUrl(idToken: string | undefined): Promise<URL | undefined> {
    const config = await this.provider().catch(() => undefined);
    if (!config?.serverMetadata().end_session_endpoint) return undefined;
    return oidc.buildEndSessionUrl(config, {
      post_logout_redirect_uri: this.settings.postLogoutRedirectUrl,
      ...(idToken ? { id_token_hint: idToken } : {}),
    });
  }

  /** Where the provider publishes its signing keys (verifying its access tokens). */
  async jwksUri(): Promise<URL> {
    const uri = (await this.provider()).serverMetadata().jwks_uri;
    if (!uri) throw new SignInUnavailableError(`The identity provider at ${this.settings.issuer} publishes no jwks_uri.`);
    return new URL(uri);
  }

  private discover(): Promise<oidc.Configuration> {
    const issuer = new URL(this.settings.issuer);
    // Plain http only for a provider on this machine (the embedded one, or a local test).
    const local = issuer.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(issuer.hostname);
    return oidc.discovery(issuer, this.settings.clientId, undefined, oidc.ClientSecretBasic(this.settings.clientSecret), {
      ...(local ? { execute: [oidc.allowInsecureRequests] } : {}),
      timeout: 5,
    });
  }
}
