import { actorSchema, departments, roles, type Actor, type Department } from './complaint-schema';

/**
 * Who a person or a machine is, from the claims of an identity provider's token. The claim
 * names are configuration (`AUTH_ROLE_CLAIM`, `AUTH_DEPARTMENT_CLAIM`): a dotted path reaches
 * nested claims (Keycloak's `realm_access.roles`), and a list of values (Entra ID app roles,
 * Auth0 namespaced arrays) counts when exactly one of them is a role of the platform.
 * The result is the same `Principal` the API authorises bearer tokens with, or the reason
 * there is none: such a person gets "no access", never a half-working session.
 */
export interface ClaimNames {
  role: string;
  department: string;
}

export type PrincipalFromClaims =
  | { ok: true; principal: Actor }
  | { ok: false; reason: string };

export function principalFromClaims(claims: Record<string, unknown>, names: ClaimNames): PrincipalFromClaims {
  const sub = claims.sub;
  if (typeof sub !== 'string' || sub.length === 0) return { ok: false, reason: 'the token names no subject (sub)' };
  const role = single(valuesAt(claims, names.role), roles);
  if (!role.ok) return { ok: false, reason: `the "${names.role}" claim ${role.reason} (one of ${roles.join(', ')})` };
  let department: Department | undefined;
  if (role.value === 'department') {
    const found = single(valuesAt(claims, names.department), departments);
    if (!found.ok) return { ok: false, reason: `the "${names.department}" claim ${found.reason} (one of ${departments.join(', ')})` };
    department = found.value;
  }
  const parsed = actorSchema.safeParse({ sub, role: role.value, ...(department ? { department } : {}) });
  return parsed.success ? { ok: true, principal: parsed.data } : { ok: false, reason: 'the subject is too long' };
}

function valuesAt(claims: Record<string, unknown>, path: string): unknown[] {
  let value: unknown = claims;
  for (const key of path.split('.')) {
    value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  }
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function single<T extends string>(values: unknown[], allowed: readonly T[]): { ok: true; value: T } | { ok: false; reason: string } {
  const known = [...new Set(values.filter((v): v is T => typeof v === 'string' && (allowed as readonly string[]).includes(v)))];
  if (known.length === 1) return { ok: true, value: known[0]! };
  return { ok: false, reason: known.length === 0 ? 'names none of the platform\'s values' : `names several (${known.join(', ')})` };
}

