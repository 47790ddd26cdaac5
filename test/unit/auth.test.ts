import type { Request } from 'express';
import { SignJWT } from 'jose';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { authenticate, signToken, type TokenRules } from '../../api/auth';
import { HttpProblem } from '../../api/problem';

const secret = 'auth-test-secret-0123456789';
const key = new TextEncoder().encode(secret);
const now = () => Math.floor(Date.now() / 1000);

/** Runs the middleware on a request bearing this token: 200 with the subject, or the problem's status. */
async function check(token: string, rules: TokenRules = {}): Promise<{ status: number; sub?: string }> {
  const req = { headers: { authorization: `Bearer ${token}` } } as Request;
  const err = await new Promise<unknown>((resolve) => void authenticate(secret, rules)(req, {} as never, resolve));
  if (err instanceof HttpProblem) return { status: err.status };
  if (err) throw err;
  return { status: 200, sub: req.principal?.sub };
}

const claims = { role: 'agent', sub: 'a1' };
const token = (build: (jwt: SignJWT) => SignJWT) => build(new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('a1')).sign(key);

describe('bearer tokens', () => {
  it('refuses a token without exp: it would be valid for ever', async () => {
    expect(await check(await token((t) => t.setIssuedAt()))).toEqual({ status: 401 });
    expect(await check(await token((t) => t.setIssuedAt().setExpirationTime('5m')))).toEqual({ status: 200, sub: 'a1' });
  });

  it('allows 30 seconds of clock skew, not more', async () => {
    expect(await check(await token((t) => t.setExpirationTime(now() - 10)))).toMatchObject({ status: 200 });
    expect(await check(await token((t) => t.setExpirationTime(now() - 60)))).toEqual({ status: 401 });
    expect(await check(await token((t) => t.setExpirationTime('5m').setNotBefore(now() + 10)))).toMatchObject({ status: 200 });
    expect(await check(await token((t) => t.setExpirationTime('5m').setNotBefore(now() + 60)))).toEqual({ status: 401 });
  });

  it('checks iss and aud when they are configured', async () => {
    const rules = { issuer: 'https://id.example', audience: 'complaints' };
    const valid = (t: SignJWT) => t.setExpirationTime('5m');
    expect(await check(await token((t) => valid(t).setIssuer(rules.issuer).setAudience(rules.audience)), rules)).toMatchObject({ status: 200 });
    expect(await check(await token((t) => valid(t).setAudience(rules.audience)), rules)).toEqual({ status: 401 });
    expect(await check(await token((t) => valid(t).setIssuer('https://evil.example').setAudience(rules.audience)), rules)).toEqual({ status: 401 });
    expect(await check(await token((t) => valid(t).setIssuer(rules.issuer)), rules)).toEqual({ status: 401 });
    expect(await check(await token((t) => valid(t).setIssuer(rules.issuer).setAudience('reports')), rules)).toEqual({ status: 401 });
    // Unconfigured, neither is looked at.
    expect(await check(await token((t) => valid(t).setIssuer('anyone').setAudience('anything')))).toMatchObject({ status: 200 });
  });

  it('signToken and `npm run token` mint tokens the configured service accepts', async () => {
    const rules = { issuer: 'https://id.example', audience: 'complaints' };
    expect(await check(await signToken(secret, { role: 'ops', sub: 'o1' }, '1h', rules), rules)).toEqual({ status: 200, sub: 'o1' });
    const minted = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/token.ts', 'supervisor', 's9'], {
      env: { ...process.env, AUTH_JWT_SECRET: secret, AUTH_JWT_ISSUER: rules.issuer, AUTH_JWT_AUDIENCE: rules.audience },
      encoding: 'utf8',
    }).trim();
    expect(await check(minted, rules)).toEqual({ status: 200, sub: 's9' });
  });
});
