import { useTranslation } from 'react-i18next';
import type { Status } from '../api/types';
import { Badge, type Tone } from './Badge';

const tones: Record<Status, Tone> = {
  received: 'blue', acknowledged: 'blue', investigating: 'blue', planning: 'blue', awaiting_consumer: 'amber', awaiting_feedback: 'amber',
  fulfilling: 'blue', resolved: 'green', closed: 'grey', withdrawn: 'grey', terminated: 'grey',
};

export function StatusBadge({ status }: { status: Status }) {
  const { t } = useTranslation();
  return <Badge tone={tones[status]}>{t(`status.${status}`)}</Badge>;
}
