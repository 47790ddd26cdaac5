import type { CandidatePolicy } from '../../../api/types';

/**
 * The textarea's text as a candidate policy. Only the JSON is checked here (nothing is sent
 * when it does not parse); what the policy may say is the API's to judge (its 400 names each field).
 */
export type PolicyText = { policy: CandidatePolicy } | { invalid: 'syntax'; detail: string } | { invalid: 'notObject' };

export function readPolicyText(text: string): PolicyText {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { invalid: 'syntax', detail: (err as Error).message };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { invalid: 'notObject' };
  return { policy: value as CandidatePolicy };
}

/** The policy as the textarea shows it: indented, the keys in the file's order. */
export const policyText = (policy: unknown) => JSON.stringify(policy, null, 2);

/** The API names a field of the body (`policy.policies.general.acknowledge`); the textarea holds what is inside `policy`. */
export const isPolicyPath = (path: string) => path === 'policy' || path.startsWith('policy.');
export const pathInPolicy = (path: string) => path.replace(/^policy\.?/, '');
