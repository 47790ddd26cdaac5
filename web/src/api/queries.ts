import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, fetchMe, ok } from './client';
import type { ListQuery } from './types';

/** Live updates by polling: a change made elsewhere shows within two seconds. */
export const livePollMs = 1000;

export const queryKeys = {
  me: ['me'] as const,
  case: (id: string) => ['case', id] as const,
  cases: ['cases'] as const,
  list: (query: ListQuery) => ['cases', query] as const,
  notifications: (id: string) => ['case', id, 'notifications'] as const,
  ops: (id: string) => ['ops', id] as const,
  stuck: ['ops', 'stuck'] as const,
};

/** The submissions a page waits on (mutation keys): the owner's erasure of a case's personal data. */
export const mutationKeys = {
  erasure: (id: string) => ['erasure', id] as const,
};

export const useMe = () => useQuery({ queryKey: queryKeys.me, queryFn: fetchMe, staleTime: 5 * 60_000, retry: false });

/** The case, refreshed every second while `enabled` (off once it is gone for the caller, e.g. erased by its owner). */
export const useCase = (id: string, enabled = true) =>
  useQuery({
    queryKey: queryKeys.case(id),
    enabled,
    queryFn: () => ok(api.GET('/api/v1/complaints/{id}', { params: { path: { id } } })),
    refetchInterval: livePollMs,
    retry: (count, error) => count < 2 && !('status' in error && (error.status === 404 || error.status === 403)),
  });

export const useCaseList = (query: ListQuery, enabled = true) =>
  useQuery({
    queryKey: queryKeys.list(query),
    queryFn: () => ok(api.GET('/api/v1/complaints', { params: { query } })),
    refetchInterval: livePollMs,
    placeholderData: keepPreviousData,
    enabled,
  });

export const useNotifications = (id: string, enabled: boolean) =>
  useQuery({
    queryKey: queryKeys.notifications(id),
    queryFn: () => ok(api.GET('/api/v1/complaints/{id}/notifications', { params: { path: { id } } })),
    refetchInterval: livePollMs,
    enabled,
  });
