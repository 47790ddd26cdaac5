import { useQuery } from '@tanstack/react-query';
import { api, ok } from '../../../api/client';
import type { WhatIfQuery, WhatIfReport } from '../../../api/types';

/** The SLA policy in force: the candidate starts as a copy of it. */
export const useSlaPolicy = () =>
  useQuery({ queryKey: ['sla-policy'], queryFn: () => ok(api.GET('/api/v1/sla-policy')), staleTime: 5 * 60_000 });

/** Replays the period's cases under the candidate (a quarter can take up to a minute on the server). */
export const runWhatIf = (query: WhatIfQuery): Promise<WhatIfReport> => ok(api.POST('/api/v1/reports/what-if', { body: query }));
