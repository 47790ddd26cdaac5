import type { ReactNode } from 'react';

export type Tone = 'green' | 'amber' | 'red' | 'grey' | 'blue';

/** A coloured badge that always carries words: colour is never the only signal. */
export function Badge({ tone, children, title, state }: { tone: Tone; children: ReactNode; title?: string; state?: string }) {
  return (
    <span className={`badge badge-${tone}`} title={title} data-sla={state}>
      <span className="badge-dot" aria-hidden="true" />
      {children}
    </span>
  );
}
