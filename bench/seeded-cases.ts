import { complaintDocument } from '../activities/read-model';
import type { Severity } from '../domain/complaint-schema';
import { applyAction, openCase } from '../domain/lifecycle';
import { loadSlaPolicy } from '../runtime/sla-policy-file';

const agent = { role: 'agent', sub: 'bench-agent' } as const;
const policies = loadSlaPolicy(undefined);

/**
 * The read-model document of the benchmarks' n-th seeded case, as its workflow would store it:
 * opened at `receivedAt` (5,000 customers, the four categories in turn), acknowledged or not.
 */
export function seededCaseDocument(n: number, receivedAt: string, severity: Severity, acknowledged: boolean) {
  const { state } = openCase({
    id: `seed-${n}`, receivedAt, actor: `consumer:s${n % 5000}`, policy: policies.forSeverity(severity),
    intake: {
      customerId: `s${n % 5000}`, orderId: `o-${n}`, productName: 'Kettle', description: 'Leaks', channel: 'web',
      category: (['quality', 'logistics', 'legal', 'service'] as const)[n % 4]!, severity, evidence: [], locale: 'zh-CN',
      contact: { name: 'Li Wei', phone: '13800138000' },
    },
  });
  if (acknowledged) applyAction(state, { type: 'acknowledge', input: {} }, agent, receivedAt);
  return complaintDocument(state.complaint);
}
