import { useTranslation } from 'react-i18next';
import type { Clock } from '../api/types';
import { Badge, type Tone } from './Badge';

const tones: Record<Clock['state'], Tone> = { running: 'blue', paused: 'grey', met: 'green', breached: 'red' };

/** A stage clock's state, as the API answers it. */
export function ClockBadge({ state }: { state: Clock['state'] }) {
  const { t } = useTranslation();
  return <Badge tone={tones[state]}>{t(`clockState.${state}`)}</Badge>;
}
