/**
 * Inline SVG charts for the audit report: no script, no font or image to fetch. Every text is
 * escaped; every chart carries a <title> and the numbers themselves, so it reads without colour.
 */

export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

export interface Bar {
  readonly label: string;
  readonly value: number;
  /** A CSS colour; the report's palette by default. */
  readonly colour?: string;
}

const PALETTE = ['#2b6cb0', '#2f855a', '#c05621', '#6b46c1', '#b7791f', '#c53030', '#2c7a7b', '#4a5568'];

/** Horizontal bars, one a row, labelled with their value. */
export function horizontalBars(title: string, bars: readonly Bar[]): string {
  if (bars.length === 0) return `<p class="none">${escapeHtml(title)}: nothing in the period.</p>`;
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  const row = 26;
  const labelWidth = 210;
  const barWidth = 360;
  const height = bars.length * row + 8;
  const rows = bars.map((bar, index) => {
    const y = index * row + 4;
    const width = Math.round((bar.value / max) * barWidth);
    const colour = bar.colour ?? PALETTE[index % PALETTE.length];
    return (
      `<text x="${labelWidth - 8}" y="${y + 16}" text-anchor="end">${escapeHtml(bar.label)}</text>` +
      `<rect x="${labelWidth}" y="${y + 3}" width="${Math.max(width, 1)}" height="18" fill="${colour}"/>` +
      `<text x="${labelWidth + width + 6}" y="${y + 16}">${bar.value}</text>`
    );
  });
  return (
    `<svg role="img" class="chart" viewBox="0 0 ${labelWidth + barWidth + 60} ${height}" width="${labelWidth + barWidth + 60}" height="${height}">` +
    `<title>${escapeHtml(title)}</title>${rows.join('')}</svg>`
  );
}

/** One bar split into shares that add up to 100 % (e.g. calls masked / not masked). */
export function shareBar(title: string, parts: readonly Bar[]): string {
  const total = parts.reduce((sum, part) => sum + part.value, 0);
  if (total === 0) return `<p class="none">${escapeHtml(title)}: nothing in the period.</p>`;
  const width = 560;
  let x = 0;
  const pieces = parts.map((part, index) => {
    const w = (part.value / total) * width;
    const colour = part.colour ?? PALETTE[index % PALETTE.length];
    const piece = `<rect x="${x.toFixed(1)}" y="0" width="${w.toFixed(1)}" height="28" fill="${colour}"><title>${escapeHtml(part.label)}: ${part.value}</title></rect>`;
    x += w;
    return piece;
  });
  const legend = parts.map((part, index) => {
    const colour = part.colour ?? PALETTE[index % PALETTE.length];
    const share = ((part.value / total) * 100).toFixed(1);
    return `<rect x="${index * 240}" y="38" width="12" height="12" fill="${colour}"/><text x="${index * 240 + 18}" y="49">${escapeHtml(part.label)}: ${part.value} (${share} %)</text>`;
  });
  return (
    `<svg role="img" class="chart" viewBox="0 0 ${width} 58" width="${width}" height="58">` +
    `<title>${escapeHtml(title)}</title>${pieces.join('')}${legend.join('')}</svg>`
  );
}

export interface Column {
  readonly label: string;
  /** Stacked from the bottom, in order. */
  readonly values: readonly number[];
}

/** Columns over time (one per day), each stacked from its parts; `series` names the parts. */
export function columns(title: string, series: readonly string[], data: readonly Column[]): string {
  if (data.length === 0) return `<p class="none">${escapeHtml(title)}: nothing in the period.</p>`;
  const max = Math.max(1, ...data.map((column) => column.values.reduce((sum, value) => sum + value, 0)));
  const plotHeight = 160;
  const step = Math.max(8, Math.min(40, Math.floor(620 / data.length)));
  const width = Math.max(300, data.length * step + 50);
  const bars = data.map((column, index) => {
    const x = 40 + index * step;
    let y = plotHeight + 10;
    const parts = column.values.map((value, part) => {
      const h = (value / max) * plotHeight;
      y -= h;
      return `<rect x="${x}" y="${y.toFixed(1)}" width="${step - 2}" height="${h.toFixed(1)}" fill="${PALETTE[part % PALETTE.length]}"><title>${escapeHtml(column.label)} ${escapeHtml(series[part] ?? '')}: ${value}</title></rect>`;
    });
    const showLabel = data.length <= 16 || index % Math.ceil(data.length / 16) === 0;
    const label = showLabel
      ? `<text x="${x}" y="${plotHeight + 24}" class="small">${escapeHtml(column.label.slice(5))}</text>`
      : '';
    return parts.join('') + label;
  });
  const legend = series.map(
    (name, index) =>
      `<rect x="${40 + index * 170}" y="${plotHeight + 34}" width="12" height="12" fill="${PALETTE[index % PALETTE.length]}"/><text x="${58 + index * 170}" y="${plotHeight + 45}">${escapeHtml(name)}</text>`,
  );
  const axis = `<text x="34" y="16" text-anchor="end" class="small">${max}</text><text x="34" y="${plotHeight + 10}" text-anchor="end" class="small">0</text><line x1="38" y1="${plotHeight + 10}" x2="${width}" y2="${plotHeight + 10}" stroke="#718096"/>`;
  return (
    `<svg role="img" class="chart" viewBox="0 0 ${width} ${plotHeight + 52}" width="${width}" height="${plotHeight + 52}">` +
    `<title>${escapeHtml(title)}</title>${axis}${bars.join('')}${legend.join('')}</svg>`
  );
}
