import { useTranslation } from 'react-i18next';
import type { Sla, SlaState } from '../api/types';
import { Badge, type Tone } from './Badge';
import { formatDuration } from './format';

const tones: Record<SlaState, Tone> = { on_track: 'green', at_risk: 'amber', breached: 'red', met: 'green', none: 'grey', paused: 'blue' };

/** The case's SLA badge exactly as the API states it; "breached by 2h 5m" from its overdueMs. */
export function SlaBadge({ sla }: { sla: Sla }) {
  const { t } = useTranslation();
  const stage = sla.stage ? t(`stage.${sla.stage}`) : undefined;
  const words =
    sla.state === 'breached' && sla.overdueMs !== undefined
      ? t('sla.breachedBy', { duration: formatDuration(sla.overdueMs, t) })
      : t(`sla.${sla.state}`);
  return (
    <Badge tone={tones[sla.state]} title={stage ? t('sla.stageTitle', { stage }) : undefined} state={sla.state}>
      {words}
    </Badge>
  );
}
