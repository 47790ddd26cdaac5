import { useMutation, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { useRef } from 'react';
import { ApiProblem } from './client';

/**
 * One user submission of a form: its Idempotency-Key is made when the person submits, and the
 * same key goes with every resend of the same body (a double click, a retry after a lost
 * answer), so the server acts once. A definitive answer (success, or a refusal) ends the
 * submission; the next one gets a fresh key. The button is disabled while it is sending.
 */
export function useSubmission<TBody, TResult>(
  send: (body: TBody, idempotencyKey: string) => Promise<TResult>,
  options: {
    invalidate?: QueryKey[];
    onSuccess?: (result: TResult, body: TBody) => void;
    /** Names the submission, so a screen can tell it is under way (useIsMutating). */
    mutationKey?: QueryKey;
  } = {},
) {
  const current = useRef<{ key: string; body: string } | undefined>(undefined);
  const queryClient = useQueryClient();
  const mutation = useMutation<TResult, ApiProblem, TBody>({
    ...(options.mutationKey ? { mutationKey: options.mutationKey } : {}),
    mutationFn: (body) => {
      const text = JSON.stringify(body);
      if (current.current?.body !== text) current.current = { key: crypto.randomUUID(), body: text };
      return send(body, current.current.key);
    },
    onSuccess: async (result, body) => {
      current.current = undefined;
      await Promise.all((options.invalidate ?? []).map((queryKey) => queryClient.invalidateQueries({ queryKey })));
      options.onSuccess?.(result, body);
    },
    onError: (error) => {
      // Keep the key only when the same request may still be answered (network, 5xx).
      if (!(error instanceof ApiProblem) || !error.retryable) current.current = undefined;
    },
  });
  const submit = (body: TBody) => {
    if (mutation.isPending) return; // a second click while sending does nothing
    mutation.mutate(body);
  };
  const problem = mutation.error instanceof ApiProblem ? mutation.error : undefined;
  return {
    submit,
    pending: mutation.isPending,
    succeeded: mutation.isSuccess,
    problem,
    fieldErrors: problem?.fieldErrors() ?? {},
    reset: mutation.reset,
  };
}
