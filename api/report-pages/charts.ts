/**
 * What the printable reports share: inline SVG charts, number formats, the page's style. No
 * script, no CDN, nothing fetched.
 */
export const palette = ['#2563eb', '#16a34a', '#d97706', '#dc2626', '#7c3aed', '#0891b2'];
export const esc = (s: unknown) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
export const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)} %`);
export const num = (v: number | null, digits = 1) => (v === null ? '—' : v.toFixed(digits));

export interface Bar {
  label: string;
  value: number;
  color?: string;
  text?: string;
}

export function barChart(id: string, title: string, bars: Bar[], options: { max?: number; width?: number } = {}): string {
  const width = options.width ?? 520;
  const rowHeight = 26;
  const labelWidth = 130;
  const max = options.max ?? Math.max(1, ...bars.map((b) => b.value));
  const height = bars.length * rowHeight + 10;
  const rows = bars
    .map((b, i) => {
      const w = Math.max(0, ((width - labelWidth - 70) * b.value) / max);
      const y = i * rowHeight + 5;
      return `<text x="${labelWidth - 8}" y="${y + 16}" text-anchor="end">${esc(b.label)}</text>
<rect class="bar" x="${labelWidth}" y="${y + 3}" width="${w.toFixed(1)}" height="${rowHeight - 8}" fill="${b.color ?? palette[0]}"><title>${esc(b.label)}: ${esc(b.text ?? b.value)}</title></rect>
<text x="${labelWidth + w + 6}" y="${y + 16}">${esc(b.text ?? b.value)}</text>`;
    })
    .join('\n');
  return `<figure id="${id}"><figcaption>${esc(title)}</figcaption><svg role="img" aria-label="${esc(title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">${rows}</svg></figure>`;
}


/** Cases received per day by category, stacked: one slot per day of the period. */
export function stackedDailyChart(days: Array<{ label: string; byCategory: Record<string, number>; tick?: boolean }>, tickEvery: number): string {
  const categories = [...new Set(days.flatMap((d) => Object.keys(d.byCategory)))].sort();
  const max = Math.max(1, ...days.map((d) => Object.values(d.byCategory).reduce((a, b) => a + b, 0)));
  const width = 620;
  const height = 200;
  const slot = (width - 40) / Math.max(1, days.length);
  let bars = '';
  for (const [i, { label, byCategory, tick }] of days.entries()) {
    let y = height - 20;
    for (const [c, category] of categories.entries()) {
      const n = byCategory[category] ?? 0;
      if (!n) continue;
      const h = ((height - 40) * n) / max;
      y -= h;
      bars += `<rect class="bar" x="${(30 + i * slot).toFixed(1)}" y="${y.toFixed(1)}" width="${(slot * 0.8).toFixed(1)}" height="${h.toFixed(1)}" fill="${palette[c % palette.length]}"><title>${esc(label)}: ${esc(category)} ${n}</title></rect>`;
    }
    if (tick ?? i % tickEvery === 0) bars += `<text x="${(30 + i * slot).toFixed(1)}" y="${height - 4}">${esc(label)}</text>`;
  }
  const legend = categories.map((c, i) => `<span class="key" style="background:${palette[i % palette.length]}"></span>${esc(c)}`).join(' ');
  return `<figure id="volume"><figcaption>Complaints received per day, by category</figcaption><svg role="img" aria-label="volume by category" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}"><text x="2" y="14">${max}</text>${bars}</svg><div class="legend">${legend}</div></figure>`;
}

export const pageStyle = `<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#111;max-width:1000px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:24px 0 8px}
.answers{display:flex;gap:16px;margin:16px 0}.answer{border:1px solid #ddd;border-radius:6px;padding:12px 16px;flex:1}
.answer b{display:block;font-size:20px}.ok{color:#15803d}.bad{color:#b91c1c}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #e5e7eb;padding:4px 6px;text-align:right}td:first-child,th:first-child{text-align:left}
tr.bottleneck{background:#fef2f2;font-weight:600}
figure{margin:12px 0;break-inside:avoid}figcaption{font-weight:600;margin-bottom:4px}svg text{font-size:11px;fill:#374151}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:8px}.legend{font-size:12px}.key{display:inline-block;width:10px;height:10px;margin:0 4px 0 8px}
@media print{body{margin:0}.answers{break-inside:avoid}}
</style>`;
