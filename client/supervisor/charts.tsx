// Small inline-SVG charts (no chart library, nothing fetched, nothing the CSP has to allow): a line chart over
// time and a grouped bar chart per period. Each is an image with a summary label; the table beside it carries
// the exact figures for screen readers and for export.

export interface Series {
  name: string;
  /** CSS class giving the series its colour and dash pattern (so the two lines differ without colour too). */
  className: string;
  values: readonly number[];
}

const W = 960;
const PAD = { top: 16, right: 16, bottom: 36, left: 44 };

/** A "nice" top of the y axis and its ticks. */
function yScale(max: number): { top: number; ticks: number[] } {
  if (max <= 0) return { top: 4, ticks: [0, 1, 2, 3, 4] };
  const rough = max / 4;
  const mag = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= rough) ?? 10 * mag;
  const safeStep = Math.max(1, step);
  const top = Math.ceil(max / safeStep) * safeStep;
  const ticks: number[] = [];
  for (let t = 0; t <= top; t += safeStep) ticks.push(t);
  return { top, ticks };
}

function Axes(props: { height: number; top: number; ticks: number[]; labels: { at: number; text: string }[] }) {
  const { height, top, ticks, labels } = props;
  const plotH = height - PAD.top - PAD.bottom;
  const y = (v: number) => PAD.top + plotH - (v / top) * plotH;
  return (
    <g className="chart-axes">
      {ticks.map((t) => (
        <g key={t}>
          <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} className="chart-grid" />
          <text x={PAD.left - 6} y={y(t) + 4} textAnchor="end">
            {t}
          </text>
        </g>
      ))}
      {labels.map((l, i) => (
        <text key={i} x={l.at} y={height - PAD.bottom + 18} textAnchor="middle">
          {l.text}
        </text>
      ))}
    </g>
  );
}

/** Evenly thinned x labels, so they never overlap. */
function thin<T>(items: readonly T[], max: number): number[] {
  if (items.length <= max) return items.map((_, i) => i);
  const step = Math.ceil(items.length / max);
  return items.map((_, i) => i).filter((i) => i % step === 0);
}

export function LineChart(props: {
  title: string;
  series: readonly Series[];
  xLabels: readonly string[];
  height?: number;
  testId?: string;
}) {
  const { title, series, xLabels, height = 260, testId } = props;
  const n = xLabels.length;
  const max = Math.max(0, ...series.flatMap((s) => s.values));
  const { top, ticks } = yScale(max);
  const plotW = W - PAD.left - PAD.right;
  const plotH = height - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (n <= 1 ? plotW / 2 : (i / (n - 1)) * plotW);
  const y = (v: number) => PAD.top + plotH - (v / top) * plotH;
  const summary = series.map((s) => `${s.name}: highest ${Math.max(0, ...s.values)}, last ${s.values.at(-1) ?? 0}`).join('; ');
  return (
    <figure className="chart" data-testid={testId}>
      <svg viewBox={`0 0 ${W} ${height}`} role="img" aria-label={`${title}. ${summary}`} preserveAspectRatio="xMidYMid meet">
        <Axes height={height} top={top} ticks={ticks} labels={thin(xLabels, 8).map((i) => ({ at: x(i), text: xLabels[i]! }))} />
        {series.map((s) => (
          <polyline key={s.name} className={`chart-line ${s.className}`} points={s.values.map((v, i) => `${x(i)},${y(v)}`).join(' ')} />
        ))}
      </svg>
      <Legend series={series} kind="line" />
    </figure>
  );
}

export function BarChart(props: {
  title: string;
  series: readonly Series[];
  xLabels: readonly string[];
  height?: number;
  testId?: string;
}) {
  const { title, series, xLabels, height = 260, testId } = props;
  const n = Math.max(1, xLabels.length);
  const max = Math.max(0, ...series.flatMap((s) => s.values));
  const { top, ticks } = yScale(max);
  const plotW = W - PAD.left - PAD.right;
  const plotH = height - PAD.top - PAD.bottom;
  const group = plotW / n;
  const bar = Math.max(1, (group * 0.8) / Math.max(1, series.length));
  const y = (v: number) => PAD.top + plotH - (v / top) * plotH;
  const summary = series.map((s) => `${s.name}: total ${s.values.reduce((a, b) => a + b, 0)}`).join('; ');
  return (
    <figure className="chart" data-testid={testId}>
      <svg viewBox={`0 0 ${W} ${height}`} role="img" aria-label={`${title}. ${summary}`} preserveAspectRatio="xMidYMid meet">
        <Axes
          height={height}
          top={top}
          ticks={ticks}
          labels={thin(xLabels, 12).map((i) => ({ at: PAD.left + group * (i + 0.5), text: xLabels[i]! }))}
        />
        {series.map((s, si) =>
          s.values.map((v, i) => (
            <rect
              key={`${s.name}:${i}`}
              className={`chart-bar ${s.className}`}
              x={PAD.left + group * i + group * 0.1 + bar * si}
              y={y(v)}
              width={bar}
              height={Math.max(0, PAD.top + plotH - y(v))}
            />
          )),
        )}
      </svg>
      <Legend series={series} kind="bar" />
    </figure>
  );
}

function Legend(props: { series: readonly Series[]; kind: 'line' | 'bar' }) {
  return (
    <figcaption className="chart-legend">
      {props.series.map((s) => (
        <span key={s.name} className="chart-key">
          <svg viewBox="0 0 24 12" className="chart-swatch" aria-hidden="true">
            {props.kind === 'line' ? (
              <line x1="0" x2="24" y1="6" y2="6" className={`chart-line ${s.className}`} />
            ) : (
              <rect x="4" y="0" width="16" height="12" className={`chart-bar ${s.className}`} />
            )}
          </svg>
          {s.name}
        </span>
      ))}
    </figcaption>
  );
}
