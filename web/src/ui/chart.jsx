// chart.jsx: uPlot charts (loaded only when a chart is first shown, to keep
// the first download small): bars of counts by category, and lines over
// years. Each chart has a title for each axis, and a legend that names its
// series with the value under the pointer, or under the keyboard's focus
// (the chart takes focus; ← → Home End move along it). The labels under
// the bars are measured: they stay level when they fit their bar, else
// they are turned (running down to the right, room kept for the last) and
// shortened ("…", the whole name in the legend and the table), and every second (third…) one is left out when even turned they
// would touch. Every chart comes with the same figures as a table for
// those who cannot see it (a <details> beneath it). Charts keep
// left-to-right axes in every language; their labels are isolated
// (U+2068 … U+2069) so a Latin name in Uyghur, or Uyghur in the chart,
// keeps its order.
import { useEffect, useRef, useState } from 'preact/hooks';
import { fmtNumber, isolate, t } from '../i18n/index.js';

let uplotModule = null;
function loadUplot() {
  if (!uplotModule)
    uplotModule = Promise.all([import('uplot'), import('uplot/dist/uPlot.min.css')]).then(([m]) => m.default);
  return uplotModule;
}

const COLORS = ['#1f5f8b', '#a85516', '#2f7a3e', '#8a3b8c'];   // each 4.5:1 or more on white: they colour text too (axis titles)
const INTEGER_STEPS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000, 20000, 50000, 100000, 250000, 500000, 1e6];
const FONT = '12px system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Naskh Arabic", sans-serif';
const FONT_PX = 12;
const TURNED_MAX = 110;      // px: the longest a turned label may be
const SIN45 = Math.SQRT1_2;

let measureCtx = null;
/** The width in CSS px of s in the axes' font. */
function textWidth(s) {
  if (!measureCtx) measureCtx = document.createElement('canvas').getContext('2d');
  measureCtx.font = FONT;
  return measureCtx.measureText(s).width;
}

/** s cut (with "…") to at most max px wide. */
export function fitText(s, max) {
  if (textWidth(s) <= max) return s;
  let n = s.length;
  while (n > 1 && textWidth(s.slice(0, n) + '…') > max) n--;
  return s.slice(0, n) + '…';
}

/** How the bar labels are laid out for a plot width of width px: {turn, step, max, size}. */
export function barLabelLayout(labels, width) {
  const slot = width / Math.max(1, labels.length);
  const widest = Math.max(0, ...labels.map(textWidth));
  if (widest + 8 <= slot) return { turn: false, step: 1, max: slot - 8, size: FONT_PX + 22 };
  const longest = Math.min(widest, TURNED_MAX);
  return {
    turn: true,
    step: Math.max(1, Math.ceil((FONT_PX + 4) / SIN45 / slot)),   // turned labels touch when closer than this
    max: TURNED_MAX,
    size: Math.ceil(longest * SIN45 + FONT_PX * SIN45 + 16),
    reach: Math.ceil(longest * SIN45),                            // how far one reaches beside its bar
  };
}

/** The series names and their values at index at (none: just the names), with the x label of at. */
function Legend({ series, at, xLabel }) {
  return (
    <ul class="chart-legend" aria-live="polite">
      {at !== null && <li class="at">{xLabel(at)}</li>}
      {series.map((s, i) => (
        <li key={s.label} data-series={s.label}>
          <span class="swatch" style={{ background: COLORS[i] }} aria-hidden="true" />
          <span class="name">{s.label}</span>
          {at !== null && <span class="value">{fmtNumber(s.values[at])}</span>}
        </li>
      ))}
    </ul>
  );
}

/** Draws opts (without width) into a div that follows its width; the index under the pointer or
 * the keyboard goes to onAt (null when it leaves). count: the number of points. */
function UPlot({ opts, data, label, bars, count, onAt }) {
  const box = useRef(null);
  const plotRef = useRef(null);
  const atRef = useRef(null);
  useEffect(() => {
    let plot = null;
    let observer = null;
    let live = true;
    const el = box.current;
    loadUplot().then((uPlot) => {
      if (!live) return;
      const width = () => Math.max(240, el.clientWidth);
      const series = bars ? opts.series.map((s, i) => (i === 0 ? s : { ...s, paths: uPlot.paths.bars({ size: [0.7, 60] }) })) : opts.series;
      const hooks = {
        ...opts.hooks,
        setCursor: [
          (u) => {
            const i = u.cursor.idx;
            atRef.current = i ?? null;
            onAt(i ?? null);
          },
        ],
      };
      plot = new uPlot({ ...opts, series, hooks, width: width(), height: opts.height || 260 }, data, el);
      plotRef.current = plot;
      observer = new ResizeObserver(() => live && plot.setSize({ width: width(), height: opts.height || 260 }));
      observer.observe(el);
    });
    return () => {
      live = false;
      observer?.disconnect();
      plot?.destroy();
      plotRef.current = null;
    };
  }, [JSON.stringify(data), JSON.stringify(opts.series.map((s) => s.label))]);

  /** Moves the cursor (and the legend) to point i with the keyboard. */
  const keyTo = (e) => {
    const plot = plotRef.current;
    if (!plot || !count) return;
    const cur = atRef.current;
    const next = { ArrowRight: cur === null ? 0 : Math.min(count - 1, cur + 1), ArrowLeft: cur === null ? count - 1 : Math.max(0, cur - 1), Home: 0, End: count - 1 }[e.key];
    if (next === undefined) return;
    e.preventDefault();
    const x = plot.valToPos(data[0][next], 'x');
    const y = plot.valToPos(data[1][next] ?? 0, opts.series[1].scale || 'y');
    plot.setCursor({ left: x, top: y });
  };
  const blur = () => {
    const plot = plotRef.current;
    if (plot) plot.setCursor({ left: -10, top: -10 });
  };
  return <div class="chart" dir="ltr" ref={box} role="img" aria-label={label} tabindex="0" onKeyDown={keyTo} onBlur={blur} />;
}

/** The figures of a chart as a table, for screen readers and for copying. */
function ChartTable({ caption, head, rows }) {
  return (
    <details class="chart-table">
      <summary>{t('chart.as_table')}</summary>
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              {head.map((h) => (
                <th key={h} scope="col">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={i}>
                {r.map((c, k) =>
                  k === 0 ? (
                    <th scope="row" key={k}>
                      <bdi>{c}</bdi>
                    </th>
                  ) : (
                    <td key={k}>{fmtNumber(c)}</td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

/** The axes' titles around a chart: y (and y2, the second series' axis) above it, x beneath. */
function AxisTitles({ y, y2, x, children }) {
  return (
    <div class="chart-axes">
      <p class="axis-title axis-y" dir="ltr">
        <span style={{ color: y2 ? COLORS[0] : undefined }}>↑ {isolate(y)}</span>
        {y2 && <span style={{ color: COLORS[1] }}>{isolate(y2)} ↑</span>}
      </p>
      {children}
      <p class="axis-title axis-x">{x}</p>
    </div>
  );
}

const axisValues = (u, splits) => splits.map((v) => fmtNumber(v));

/** Bars: one per label, height value; categoryLabel names what the labels are (the x axis). */
export function BarChart({ title, labels, values, valueLabel, categoryLabel }) {
  const [at, setAt] = useState(null);
  if (!labels.length) return <figure class="chart-box"><figcaption>{title}</figcaption><p class="muted">{t('chart.no_data')}</p></figure>;
  // the plot's width, near enough: the chart's less the value axis and the padding
  const layout = (u) => barLabelLayout(labels, u.width - 60 - 28);
  // turned labels run down to the right of their bar: the last one must not be cut
  const padEnd = (u) => {
    const l = layout(u);
    return l.turn ? Math.max(28, l.reach - 0.4 * ((u.width - 88) / labels.length) + 4) : 28;
  };
  const opts = {
    height: 280,
    padding: [12, padEnd, 0, 0],
    legend: { show: false },
    cursor: { drag: { x: false, y: false }, points: { show: false } },
    scales: { x: { time: false, range: [-0.6, labels.length - 0.4] }, y: { range: (u, lo, hi) => [0, Math.max(1, hi * 1.1)] } },
    axes: [
      {
        font: FONT,
        values: (u, splits) => {
          const l = layout(u);
          return splits.map((i) => (Number.isInteger(i) && labels[i] !== undefined && i % l.step === 0 ? isolate(fitText(labels[i], l.max)) : ''));
        },
        rotate: (u) => (layout(u).turn ? -45 : 0),
        size: (u) => layout(u).size,
        gap: 4,
        splits: () => labels.map((_, i) => i),
      },
      { font: FONT, values: axisValues, size: 60, incrs: INTEGER_STEPS },
    ],
    // the layout the labels got, on the chart's box (data-labels level | turned, data-step: every how many)
    hooks: {
      draw: [
        (u) => {
          const l = layout(u);
          const box = u.root.closest('.chart');
          box.dataset.labels = l.turn ? 'turned' : 'level';
          box.dataset.step = String(l.step);
        },
      ],
    },
    series: [{}, { label: valueLabel, scale: 'y', fill: COLORS[0] + 'cc', stroke: COLORS[0], width: 1, paths: null, points: { show: false } }],
  };
  const series = [{ label: valueLabel, values }];
  return (
    <figure class="chart-box">
      <figcaption>{title}</figcaption>
      <Legend series={series} at={at} xLabel={(i) => labels[i]} />
      <AxisTitles y={valueLabel} x={categoryLabel}>
        <UPlot opts={opts} data={[labels.map((_, i) => i), values]} label={title} bars count={labels.length} onAt={setAt} />
      </AxisTitles>
      <ChartTable caption={title} head={[categoryLabel || '', valueLabel]} rows={labels.map((l, i) => [l, values[i]])} />
    </figure>
  );
}

/** Lines over years: series is [{label, values}]; the first on the left axis, a second on its own right axis. */
export function YearChart({ title, years, series }) {
  const [at, setAt] = useState(null);
  if (!years.length) return <figure class="chart-box"><figcaption>{title}</figcaption><p class="muted">{t('chart.no_data')}</p></figure>;
  const opts = {
    height: 260,
    legend: { show: false },
    scales: { x: { time: false }, y: { range: (u, lo, hi) => [0, Math.max(1, hi * 1.1)] }, y2: { range: (u, lo, hi) => [0, Math.max(1, hi * 1.2)] } },
    axes: [
      { font: FONT, values: (u, splits) => splits.map((v) => (Number.isInteger(v) ? String(v) : '')), splits: () => years },
      { font: FONT, values: axisValues, size: 60, stroke: COLORS[0], incrs: INTEGER_STEPS },
      ...(series.length > 1 ? [{ font: FONT, side: 1, scale: 'y2', values: axisValues, grid: { show: false }, size: 50, stroke: COLORS[1], incrs: INTEGER_STEPS }] : []),
    ],
    series: [
      { label: t('chart.year') },
      ...series.map((s, i) => ({ label: s.label, stroke: COLORS[i], width: 2, scale: i === 0 ? 'y' : 'y2', points: { size: 7, fill: COLORS[i] } })),
    ],
  };
  return (
    <figure class="chart-box">
      <figcaption>{title}</figcaption>
      <Legend series={series} at={at} xLabel={(i) => String(years[i])} />
      <AxisTitles y={series[0].label} y2={series.length > 1 ? series[1].label : null} x={t('chart.year')}>
        <UPlot opts={opts} data={[years, ...series.map((s) => s.values)]} label={title} count={years.length} onAt={setAt} />
      </AxisTitles>
      <ChartTable caption={title} head={[t('chart.year'), ...series.map((s) => s.label)]} rows={years.map((y, i) => [String(y), ...series.map((s) => s.values[i])])} />
    </figure>
  );
}
