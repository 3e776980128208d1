// chart.jsx: uPlot charts (loaded only when a chart is first shown, to keep
// the first download small): bars of counts by category, and lines over
// years. Every chart comes with the same figures as a table for those who
// cannot see it (a <details> beneath it). Charts keep left-to-right axes in
// every language.
import { useEffect, useRef } from 'preact/hooks';
import { fmtNumber, t } from '../i18n/index.js';

let uplotModule = null;
function loadUplot() {
  if (!uplotModule)
    uplotModule = Promise.all([import('uplot'), import('uplot/dist/uPlot.min.css')]).then(([m]) => m.default);
  return uplotModule;
}

const COLORS = ['#1f5f8b', '#c0631d', '#3b8c4a', '#8a3b8c'];
const INTEGER_STEPS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000, 20000, 50000, 100000, 250000, 500000, 1e6];

/** Draws opts (without width) into a div that follows its width. */
function UPlot({ opts, data, label, bars }) {
  const box = useRef(null);
  useEffect(() => {
    let plot = null;
    let observer = null;
    let live = true;
    const el = box.current;
    loadUplot().then((uPlot) => {
      if (!live) return;
      const width = () => Math.max(240, el.clientWidth);
      const series = bars ? opts.series.map((s, i) => (i === 0 ? s : { ...s, paths: uPlot.paths.bars({ size: [0.7, 60] }) })) : opts.series;
      plot = new uPlot({ ...opts, series, width: width(), height: opts.height || 260 }, data, el);
      observer = new ResizeObserver(() => live && plot.setSize({ width: width(), height: opts.height || 260 }));
      observer.observe(el);
    });
    return () => {
      live = false;
      observer?.disconnect();
      plot?.destroy();
    };
  }, [JSON.stringify(data), JSON.stringify(opts.series.map((s) => s.label))]);
  return <div class="chart" dir="ltr" ref={box} role="img" aria-label={label} />;
}

/** The figures of a chart as a table, for screen readers and for copying. */
function ChartTable({ caption, head, rows }) {
  return (
    <details class="chart-table">
      <summary>{t('chart.as_table')}</summary>
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
              {r.map((c, k) => (k === 0 ? <th scope="row" key={k}>{c}</th> : <td key={k}>{fmtNumber(c)}</td>))}
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

/** Bars: one per label, height value. */
export function BarChart({ title, labels, values, valueLabel }) {
  if (!labels.length) return <figure class="chart-box"><figcaption>{title}</figcaption><p class="muted">{t('chart.no_data')}</p></figure>;
  const short = (s) => (s.length > 14 ? s.slice(0, 13) + '…' : s);
  const opts = {
    height: 280,
    padding: [12, 28, 0, 0],
    legend: { show: false },
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: false, range: [-0.6, labels.length - 0.4] }, y: { range: (u, lo, hi) => [0, Math.max(1, hi * 1.1)] } },
    axes: [
      { values: (u, splits) => splits.map((i) => (Number.isInteger(i) && labels[i] !== undefined ? short(labels[i]) : '')), rotate: labels.length > 6 ? -40 : 0, size: labels.length > 6 ? 90 : 40, gap: 4, splits: () => labels.map((_, i) => i) },
      { values: (u, splits) => splits.map((v) => fmtNumber(v)), size: 60, incrs: INTEGER_STEPS },
    ],
    series: [{}, { label: valueLabel, fill: COLORS[0] + 'cc', stroke: COLORS[0], width: 1, paths: null, points: { show: false } }],
  };
  return (
    <figure class="chart-box">
      <figcaption>{title}</figcaption>
      <UPlot opts={opts} data={[labels.map((_, i) => i), values]} label={title} bars />
      <ChartTable caption={title} head={['', valueLabel]} rows={labels.map((l, i) => [l, values[i]])} />
    </figure>
  );
}

/** Lines over years: series is [{label, values}], drawn on one axis (or two when axes: 2). */
export function YearChart({ title, years, series }) {
  if (!years.length) return <figure class="chart-box"><figcaption>{title}</figcaption><p class="muted">{t('chart.no_data')}</p></figure>;
  const opts = {
    height: 260,
    scales: { x: { time: false }, y: { range: (u, lo, hi) => [0, Math.max(1, hi * 1.1)] }, y2: { range: (u, lo, hi) => [0, Math.max(1, hi * 1.2)] } },
    axes: [
      { values: (u, splits) => splits.map((v) => (Number.isInteger(v) ? String(v) : '')), splits: () => years },
      { values: (u, splits) => splits.map((v) => fmtNumber(v)), size: 60, stroke: COLORS[0], incrs: INTEGER_STEPS },
      ...(series.length > 1 ? [{ side: 1, scale: 'y2', values: (u, splits) => splits.map((v) => fmtNumber(v)), grid: { show: false }, size: 50, stroke: COLORS[1], incrs: INTEGER_STEPS }] : []),
    ],
    series: [
      { label: t('chart.year'), value: (u, v) => (v == null ? '' : String(v)) },
      ...series.map((s, i) => ({ label: s.label, stroke: COLORS[i], width: 2, scale: i === 0 ? 'y' : 'y2', points: { size: 7, fill: COLORS[i] }, value: (u, v) => fmtNumber(v) })),
    ],
  };
  return (
    <figure class="chart-box">
      <figcaption>{title}</figcaption>
      <UPlot opts={opts} data={[years, ...series.map((s) => s.values)]} label={title} />
      <ChartTable caption={title} head={[t('chart.year'), ...series.map((s) => s.label)]} rows={years.map((y, i) => [String(y), ...series.map((s) => s.values[i])])} />
    </figure>
  );
}
