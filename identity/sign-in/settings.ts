import { z } from 'zod';

/**
 * The sign-in settings (README's configuration table, docs/auth.md). Without
 * AUTH_OIDC_ISSUER, outside production, the service starts the embedded development
 * identity provider and signs people in through it.
 */
export const signInSettingsShape = {
  /** The browser-facing address of the service; `http://127.0.0.1:<PORT>` unless told. */
  PUBLIC_URL: z.url().optional(),
  AUTH_OIDC_ISSUER: z.url().optional(),
  AUTH_OIDC_CLIENT_ID: z.string().min(1).default('complaints-web'),
  AUTH_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** `<PUBLIC_URL>/auth/callback` unless told; register it at the provider. */
  AUTH_OIDC_REDIRECT_URL: z.url().optional(),
  AUTH_OIDC_SCOPES: z.string().default('openid profile email'),
  /** `aud` the provider's access tokens for this API carry (shop back-ends' client credentials). */
  AUTH_OIDC_AUDIENCE: z.string().min(1).default('complaints-api'),
  AUTH_ROLE_CLAIM: z.string().min(1).default('role'),
  AUTH_DEPARTMENT_CLAIM: z.string().min(1).default('department'),
  SESSION_SECRET: z.string().min(32, 'use at least 32 characters').optional(),
  SESSION_IDLE_MINUTES: z.coerce.number().min(0.01).max(24 * 60).default(30),
  SESSION_ABSOLUTE_HOURS: z.coerce.number().min(0.001).max(24 * 30).default(12),
  /** Port of the embedded development identity provider (0: any free port). */
  AUTH_DEV_PROVIDER_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
};

type SignInSettings = Partial<Record<'AUTH_OIDC_ISSUER' | 'AUTH_OIDC_CLIENT_SECRET' | 'SESSION_SECRET' | 'PUBLIC_URL', string>> & { NODE_ENV: string };

/**
 * Production signs people in at a real provider, at the address browsers use (its origin is what
 * CSRF checks, and it decides the cookie's `Secure`): each missing setting, by name.
 */
export function signInProblems(config: SignInSettings): string[] {
  if (config.NODE_ENV !== 'production') return [];
  return (['PUBLIC_URL', 'AUTH_OIDC_ISSUER', 'AUTH_OIDC_CLIENT_SECRET', 'SESSION_SECRET'] as const)
    .filter((name) => !config[name])
    .map((name) => `${name}: required when NODE_ENV=production (sign-in through your identity provider, docs/auth.md)`);
}

/** Development only; production requires SESSION_SECRET. */
/** `Secure` cookies everywhere but plain HTTP on this machine (a browser drops them there). */
export function needsSecureCookie(publicUrl: string): boolean {
  const url = new URL(publicUrl);
  return !(url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname));
}

export const developmentSessionSecret = 'development-only-session-secret-do-not-deploy';
/** The embedded provider's clients (development only). */
export const developmentWebClientSecret = 'development-only-web-client-secret';
export const developmentMachineClient = { clientId: 'shop-backend', clientSecret: 'development-only-shop-backend-secret' };
