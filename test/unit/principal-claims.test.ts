import { describe, expect, it } from 'vitest';
import { principalFromClaims } from '../../domain/principal-claims';
import { needsSecureCookie } from '../../identity/sign-in/settings';

const names = { role: 'role', department: 'department' };

describe('the principal from an identity provider\'s claims', () => {
  it('takes the role and, for departments, the department', () => {
    expect(principalFromClaims({ sub: 'u1', role: 'consumer' }, names)).toEqual({ ok: true, principal: { sub: 'u1', role: 'consumer' } });
    expect(principalFromClaims({ sub: 'q1', role: 'department', department: 'quality' }, names)).toEqual({
      ok: true, principal: { sub: 'q1', role: 'department', department: 'quality' },
    });
  });

  it('reads nested and list claims, as Keycloak and Entra ID send them', () => {
    const keycloak = { sub: 'a1', realm_access: { roles: ['offline_access', 'agent', 'uma_authorization'] } };
    expect(principalFromClaims(keycloak, { role: 'realm_access.roles', department: 'department' })).toMatchObject({ ok: true, principal: { role: 'agent' } });
  });

  it('names why there is no principal: no role, an unknown one, several, or a department without its department', () => {
    expect(principalFromClaims({ sub: 'x' }, names)).toMatchObject({ ok: false, reason: expect.stringContaining('"role" claim names none') });
    expect(principalFromClaims({ sub: 'x', role: 'guest' }, names)).toMatchObject({ ok: false });
    expect(principalFromClaims({ sub: 'x', role: ['agent', 'ops'] }, names)).toMatchObject({ ok: false, reason: expect.stringContaining('several') });
    expect(principalFromClaims({ sub: 'x', role: 'department' }, names)).toMatchObject({ ok: false, reason: expect.stringContaining('"department" claim') });
    expect(principalFromClaims({ role: 'agent' }, names)).toMatchObject({ ok: false, reason: expect.stringContaining('sub') });
  });
});

describe('the session cookie', () => {
  it('is Secure everywhere but on plain HTTP on this machine', () => {
    expect(needsSecureCookie('https://complaints.example')).toBe(true);
    expect(needsSecureCookie('http://complaints.example')).toBe(true);
    expect(needsSecureCookie('http://127.0.0.1:3000')).toBe(false);
    expect(needsSecureCookie('http://localhost:3000')).toBe(false);
  });
});
