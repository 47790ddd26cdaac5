import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import type { Configuration } from 'oidc-provider';
import { developmentUsers, type DevelopmentUser } from './development-users';
import { errorPage, logoutPage, signedOutPage } from './login-page';
import { interactionRoutes } from './interactions';

/**
 * The embedded development identity provider: a real OpenID provider (the certified
 * `oidc-provider` package) with made-up users, for `npm start` without AUTH_OIDC_ISSUER and
 * for tests. Development only: its users' passwords are public and its keys live in memory.
 * See docs/auth-development-provider.md.
 */

/** A browser application signing people in (authorization code flow, PKCE required). */
export interface WebClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  postLogoutRedirectUris?: string[];
  /** How it authenticates at the token endpoint; `client_secret_basic` unless told. */
  tokenEndpointAuthMethod?: 'client_secret_basic' | 'client_secret_post';
}

/** A back-end getting tokens for itself with `client_credentials` (e.g. a shop back-end). */
export interface MachineClient {
  clientId: string;
  clientSecret: string;
  /**
   * Top-level claims of its JWT access tokens, e.g. `{ role: 'agent' }` (use the configured
   * claim names). Its `sub` is always its client id; `iss`, `aud`, `exp` and the like are the
   * provider's and cannot be set here.
   */
  claims?: Record<string, string>;
  tokenEndpointAuthMethod?: 'client_secret_basic' | 'client_secret_post';
}

export interface EmbeddedIdentityProviderOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** The address to listen on; 127.0.0.1 unless told. */
  host?: string;
  /** The public issuer URL; `http://<host>:<port>` unless told (it must reach this server). */
  issuer?: string;
  clients?: WebClient[];
  machineClients?: MachineClient[];
  /** The people who may sign in; the development users unless told. */
  users?: readonly DevelopmentUser[];
  /** Names of the role and department claims in ID tokens, userinfo and access tokens. */
  roleClaim?: string;
  departmentClaim?: string;
  /** The API that JWT access tokens are for. */
  api?: ApiResource;
}

export interface ApiResource {
  /** `aud` of its access tokens; `complaints-api` unless told. */
  audience?: string;
  /** The resource indicator (RFC 8707, an absolute URI); `urn:complaints-api` unless told. */
  resource?: string;
  /** Scopes it knows; `complaints` unless told. */
  scope?: string;
  /** Lifetime of its access tokens; 10 minutes unless told. */
  accessTokenTtlSeconds?: number;
}

export interface EmbeddedIdentityProvider {
  /** The issuer URL (discovery at `<issuer>/.well-known/openid-configuration`). */
  issuer: string;
  port: number;
  users: readonly DevelopmentUser[];
  /** `aud` of the JWT access tokens, and the resource indicator that asks for them. */
  audience: string;
  resource: string;
  stop(): Promise<void>;
}

/** Claims every token and userinfo carries next to the role and department claims. */
const standardClaims = ['sub', 'name', 'preferred_username', 'email', 'email_verified'];
/** Claims of a JWT access token that the provider sets itself. */
const reservedTokenClaims = new Set(['sub', 'iss', 'aud', 'exp', 'iat', 'nbf', 'jti', 'client_id', 'scope', 'cnf', 'auth_time', 'acr']);

export async function startEmbeddedIdentityProvider(options: EmbeddedIdentityProviderOptions = {}): Promise<EmbeddedIdentityProvider> {
  if (process.env.NODE_ENV === 'production') {
    throw new Error('The embedded development identity provider never runs with NODE_ENV=production: set AUTH_OIDC_ISSUER.');
  }
  const users = options.users ?? developmentUsers;
  const roleClaim = options.roleClaim ?? 'role';
  const departmentClaim = options.departmentClaim ?? 'department';
  checkClaimNames(roleClaim, departmentClaim);
  const machineClients = options.machineClients ?? [];
  for (const client of machineClients) checkMachineClaims(client);
  const api = {
    audience: options.api?.audience ?? 'complaints-api',
    resource: options.api?.resource ?? 'urn:complaints-api',
    scope: options.api?.scope ?? 'complaints',
    accessTokenTtlSeconds: options.api?.accessTokenTtlSeconds ?? 600,
  };

  // Imported here, not at the top: a production start that never calls this never loads it.
  const { default: Provider, errors } = await import('oidc-provider');

  const host = options.host ?? '127.0.0.1';
  const server = createServer();
  await listen(server, options.port ?? 0, host);
  const port = (server.address() as AddressInfo).port;
  const issuer = options.issuer ?? `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  try {
    const roleClaims = (user: DevelopmentUser) => ({
      ...(user.role ? { [roleClaim]: user.role } : {}),
      ...(user.department ? { [departmentClaim]: user.department } : {}),
    });
    const userClaims = (user: DevelopmentUser) => ({
      sub: user.username,
      name: user.name,
      preferred_username: user.username,
      email: user.email,
      email_verified: true,
      ...roleClaims(user),
    });
    const byUsername = new Map(users.map((u) => [u.username, u]));
    const machineClaims = new Map(machineClients.map((c) => [c.clientId, c.claims ?? {}]));

    const configuration: Configuration = {
      clients: [
        ...(options.clients ?? []).map((c) => ({
          client_id: c.clientId,
          client_secret: c.clientSecret,
          redirect_uris: c.redirectUris,
          post_logout_redirect_uris: c.postLogoutRedirectUris ?? [],
          response_types: ['code' as const],
          grant_types: ['authorization_code'],
          token_endpoint_auth_method: c.tokenEndpointAuthMethod ?? 'client_secret_basic',
        })),
        ...machineClients.map((c) => ({
          client_id: c.clientId,
          client_secret: c.clientSecret,
          redirect_uris: [],
          response_types: [],
          grant_types: ['client_credentials'],
          token_endpoint_auth_method: c.tokenEndpointAuthMethod ?? 'client_secret_basic',
        })),
      ],
      responseTypes: ['code'],
      pkce: { required: () => true },
      // Dev only: fresh signing and cookie keys on every start (sessions end with a restart).
      jwks: { keys: [await signingKey()] },
      cookies: { keys: [randomBytes(32).toString('base64url')] },
      scopes: ['openid'],
      claims: {
        openid: ['sub'],
        profile: ['name', 'preferred_username', roleClaim, departmentClaim],
        email: ['email', 'email_verified'],
      },
      // The relying party reads role and department from the ID token, not only from userinfo.
      conformIdTokenClaims: false,
      async findAccount(_ctx, id) {
        const user = byUsername.get(id);
        return user && { accountId: user.username, claims: () => userClaims(user) };
      },
      interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
      features: {
        devInteractions: { enabled: false },
        clientCredentials: { enabled: true },
        rpInitiatedLogout: {
          enabled: true,
          logoutSource: async (ctx, form) => void (ctx.body = logoutPage(form)),
          postLogoutSuccessSource: async (ctx) => void (ctx.body = signedOutPage()),
        },
        resourceIndicators: {
          enabled: true,
          // A client_credentials request without `resource` is for the API.
          defaultResource: (ctx, _client, oneOf) =>
            oneOf ?? (ctx.oidc.params?.grant_type === 'client_credentials' ? api.resource : undefined),
          getResourceServerInfo: (_ctx, indicator) => {
            if (indicator !== api.resource) throw new errors.InvalidTarget(`unknown resource ${indicator}`);
            return { scope: api.scope, audience: api.audience, accessTokenFormat: 'jwt', accessTokenTTL: api.accessTokenTtlSeconds, jwt: { sign: { alg: 'RS256' } } };
          },
          useGrantedResource: () => false,
        },
      },
      // Role claims in JWT access tokens: a machine client's configured ones, a person's own.
      extraTokenClaims(_ctx, token) {
        if (token.kind === 'ClientCredentials') return token.clientId ? machineClaims.get(token.clientId) : undefined;
        // A person's token for the API carries what the API authorises with, no personal data.
        const user = token.resourceServer?.audience === api.audience ? byUsername.get(token.accountId) : undefined;
        return user && roleClaims(user);
      },
      clientBasedCORS: () => false,
      renderError: async (ctx, out) => {
        ctx.type = 'html';
        ctx.body = errorPage(out);
      },
      ttl: {
        AccessToken: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? 10 * 60,
        AuthorizationCode: 60,
        ClientCredentials: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? 10 * 60,
        IdToken: 60 * 60,
        Interaction: 60 * 60,
        Session: 12 * 60 * 60,
        Grant: 12 * 60 * 60,
      },
    };

    const provider = new Provider(issuer, configuration);
    server.on('request', interactionRoutes(provider, { users, byUsername, roleClaim, departmentClaim, apiResource: api.resource, apiScope: api.scope }));
    return {
      issuer,
      port,
      users,
      audience: api.audience,
      resource: api.resource,
      stop: () => close(server),
    };
  } catch (error) {
    await close(server);
    throw error;
  }
}

async function signingKey() {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { ...(await exportJWK(privateKey)), kid: randomUUID(), alg: 'RS256', use: 'sig' };
}

function checkClaimNames(roleClaim: string, departmentClaim: string) {
  if (!roleClaim || !departmentClaim || roleClaim === departmentClaim) {
    throw new Error('The role and department claims need two different, non-empty names.');
  }
  for (const claim of [roleClaim, departmentClaim]) {
    if (standardClaims.includes(claim)) throw new Error(`The claim name ${claim} is taken by a standard claim.`);
  }
}

function checkMachineClaims({ clientId, claims = {} }: MachineClient) {
  const reserved = Object.keys(claims).filter((claim) => reservedTokenClaims.has(claim));
  if (reserved.length) {
    throw new Error(`Machine client ${clientId}: the provider sets ${reserved.join(', ')} itself (sub is the client id).`);
  }
}

const listen = (server: Server, port: number, host: string) =>
  new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });

function close(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!server.listening) return resolve();
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}
