import type { TFunction } from 'i18next';
import type { StageReport } from '../../api/types';
import type { Language } from '../../i18n';
import { formatPercent } from '../../shared/format';
import type { Bar } from './BarChart';

/** A compliance rate as a bar: its length the rate, its text the rate and the counts. */
export function complianceBar(label: string, s: StageReport | undefined, t: TFunction, lang: Language): Bar {
  if (!s || s.complianceRate === null) return { label, value: null, text: t('reports.noFinished', { open: s?.open ?? 0 }), tone: 'grey' };
  return { label, value: s.complianceRate, text: t('reports.compliance', { rate: formatPercent(s.complianceRate, lang), met: s.met, breached: s.breached }), tone: 'blue' };
}
