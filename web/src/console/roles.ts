import type { Role } from '../api/types';

/**
 * Which pages each role's navigation shows (the API decides what each may read and do; a page
 * opened by someone else shows the API's refusal).
 */
export const pagesFor: Record<Exclude<Role, 'consumer'>, ReadonlyArray<'queue' | 'inbox' | 'supervisor' | 'reports' | 'ops'>> = {
  agent: ['queue'],
  department: ['inbox', 'queue'],
  supervisor: ['queue', 'supervisor', 'reports'],
  ops: ['queue', 'ops', 'reports'],
};
