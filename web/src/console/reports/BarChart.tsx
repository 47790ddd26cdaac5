import { useId } from 'react';

export interface Bar {
  label: string;
  value: number | null;
  /** The value in words ("92 % · 23 met, 2 breached"); the chart's text, not only its length. */
  text: string;
  tone?: 'green' | 'amber' | 'red' | 'blue' | 'grey';
}

/**
 * A horizontal bar chart in SVG (no library): each bar carries its label and its value as text;
 * the same figures are in a table for screen readers.
 */
export function BarChart({ title, bars, max }: { title: string; bars: Bar[]; max?: number }) {
  const id = useId();
  const top = max ?? Math.max(1, ...bars.map((b) => b.value ?? 0));
  const row = 30;
  const labelW = 170;
  const barW = 300;
  const height = bars.length * row + 8;
  return (
    <figure className="chart">
      <figcaption id={id}>{title}</figcaption>
      <svg viewBox={`0 0 720 ${height}`} role="img" aria-labelledby={id} preserveAspectRatio="xMinYMin meet">
        {bars.map((b, i) => {
          const y = i * row + 4;
          const w = b.value === null ? 0 : Math.max(2, (b.value / top) * barW);
          return (
            <g key={b.label}>
              <text x={labelW - 10} y={y + 17} textAnchor="end" className="chart-label">{b.label}</text>
              <rect x={labelW} y={y + 4} width={barW} height={row - 10} rx="4" className="chart-track" />
              {b.value !== null && <rect x={labelW} y={y + 4} width={w} height={row - 10} rx="4" className={`chart-bar chart-${b.tone ?? 'blue'}`} />}
              <text x={labelW + barW + 10} y={y + 17} className="chart-value">{b.text}</text>
            </g>
          );
        })}
      </svg>
      <table className="sr-only">
        <caption>{title}</caption>
        <tbody>
          {bars.map((b) => (
            <tr key={b.label}><th scope="row">{b.label}</th><td>{b.text}</td></tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

/** Columns over a sequence (days of a month), with every value labelled above its column. */
export function ColumnChart({ title, columns }: { title: string; columns: Array<{ label: string; value: number; text: string }> }) {
  const id = useId();
  const top = Math.max(1, ...columns.map((c) => c.value));
  const w = 22;
  const gap = 4;
  const h = 140;
  const width = Math.max(300, columns.length * (w + gap) + 10);
  return (
    <figure className="chart">
      <figcaption id={id}>{title}</figcaption>
      <svg viewBox={`0 0 ${width} ${h + 40}`} role="img" aria-labelledby={id} preserveAspectRatio="xMinYMin meet">
        {columns.map((c, i) => {
          const x = 5 + i * (w + gap);
          const ch = (c.value / top) * h;
          return (
            <g key={c.label}>
              <rect x={x} y={h - ch + 16} width={w} height={Math.max(ch, c.value ? 2 : 0)} rx="3" className="chart-bar chart-blue" />
              {c.value > 0 && <text x={x + w / 2} y={h - ch + 12} textAnchor="middle" className="chart-value chart-small">{c.value}</text>}
              <text x={x + w / 2} y={h + 32} textAnchor="middle" className="chart-label chart-small">{c.label}</text>
            </g>
          );
        })}
      </svg>
      <table className="sr-only">
        <caption>{title}</caption>
        <tbody>
          {columns.map((c) => (
            <tr key={c.label}><th scope="row">{c.label}</th><td>{c.text}</td></tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
