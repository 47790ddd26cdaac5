import { QueryClient } from '@tanstack/react-query';

/** Data lives in memory only: nothing personal is persisted in the browser. */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: { staleTime: 500, refetchOnWindowFocus: true, retry: 1 },
    mutations: { retry: false },
  },
});
