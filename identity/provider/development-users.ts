import type { Department, Role } from '../../domain/complaint-schema';

/**
 * A person who can sign in at the embedded development identity provider. Development only:
 * the passwords are written here in plain text and every clone of the repository knows them.
 */
export interface DevelopmentUser {
  /** What the person types on the sign-in page; also the `sub` claim. */
  username: string;
  password: string;
  name: string;
  email: string;
  /**
   * The role claim. `guest` (or no role at all) is deliberately not one of the platform's
   * roles: such a person signs in at the provider and must get the "no access" page.
   */
  role?: Role | 'guest';
  /** The department claim: set for the `department` role only. */
  department?: Department;
}

/** Every development user's password is its username (`agent-1` / `agent-1`). */
const user = (username: string, name: string, role: DevelopmentUser['role'], department?: Department): DevelopmentUser => ({
  username,
  password: username,
  name,
  email: `${username}@example.test`,
  ...(role ? { role } : {}),
  ...(department ? { department } : {}),
});

/**
 * At least one person per role and per department, and one without a valid role. Listed on the
 * provider's sign-in page and in docs/auth-development-provider.md.
 */
export const developmentUsers: readonly DevelopmentUser[] = [
  user('consumer-1', 'Li Wei', 'consumer'),
  user('consumer-2', 'Amara Okafor', 'consumer'),
  user('agent-1', 'Sofia Marino', 'agent'),
  user('quality-1', 'Jonas Berg', 'department', 'quality'),
  user('logistics-1', 'Priya Nair', 'department', 'logistics'),
  user('legal-1', 'Tomás Herrera', 'department', 'legal'),
  user('supervisor-1', 'Hannah Schulz', 'supervisor'),
  user('ops-1', 'Kenji Watanabe', 'ops'),
  user('visitor-1', 'Noor Haddad', 'guest'),
];
