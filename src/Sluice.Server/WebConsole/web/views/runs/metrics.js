// A run's metrics (events/metric, as `sluice artifacts log-metric` and Polyaxon write them): a
// small line chart of each, step against value, and its values in a table under "Values".
import { api } from '../../api.js';
import { h } from '../../ui.js';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 320;
const HEIGHT = 160;
const PLOT = { left: 56, right: 312, top: 10, bottom: 136 };
const TABLE_ROWS = 1000;

/** The run's metric series that hold a number, or [] when the run has none. */
export async function fetchMetrics(runApi, signal) {
  let answer;
  try {
    answer = await api('GET', `${runApi}/events/metric`, undefined, { signal });
  } catch (error) {
    if (error.status === 404) {
      return [];
    }
    throw error;
  }
  return (answer?.data ?? []).filter(series => series.data?.metric?.some(Number.isFinite));
}

export function metricsSection(series) {
  return h('section', { class: 'metrics', 'aria-labelledby': 'metrics-title' },
    h('h2', { id: 'metrics-title' }, 'Metrics'),
    h('div', { class: 'grid' }, series.map(metricFigure)));
}

function metricFigure(series) {
  // A row without a step is placed by its position; a value of null (NaN, infinity) is a gap.
  const points = series.data.metric.map((value, i) => ({ step: series.data.step?.[i] ?? i, value }));
  return h('figure', { class: 'card' },
    h('figcaption', {}, series.name),
    chart(series.name, points),
    valuesTable(series.name, points));
}

function chart(name, points) {
  const known = points.filter(point => Number.isFinite(point.value));
  const last = known.at(-1);
  const x = scale(known.map(point => point.step), PLOT.left, PLOT.right);
  const y = scale(known.map(point => point.value), PLOT.bottom, PLOT.top);
  return svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: 'chart', role: 'img', 'aria-label': `${name}: last value ${last.value} at step ${last.step}` },
    svg('line', { class: 'axis', x1: PLOT.left, y1: PLOT.bottom, x2: PLOT.right, y2: PLOT.bottom }),
    svg('line', { class: 'axis', x1: PLOT.left, y1: PLOT.top, x2: PLOT.left, y2: PLOT.bottom }),
    label(PLOT.left - 4, PLOT.top + 8, short(y.max), 'end'),
    label(PLOT.left - 4, PLOT.bottom, short(y.min), 'end'),
    label(PLOT.left, HEIGHT - 6, short(x.min), 'start'),
    label(PLOT.right, HEIGHT - 6, short(x.max), 'end'),
    lines(points).map(run => {
      const coordinates = run.map(point => [x.at(point.step).toFixed(1), y.at(point.value).toFixed(1)]);
      return coordinates.length === 1
        ? svg('circle', { class: 'series', cx: coordinates[0][0], cy: coordinates[0][1], r: 2 })
        : svg('polyline', { class: 'series', points: coordinates.map(pair => pair.join(',')).join(' ') });
    }));
}

/** The stretches of points between gaps. */
function lines(points) {
  const runs = [[]];
  for (const point of points) {
    if (Number.isFinite(point.value)) {
      runs.at(-1).push(point);
    } else if (runs.at(-1).length > 0) {
      runs.push([]);
    }
  }
  return runs.filter(run => run.length > 0);
}

/** Maps [min, max] of the numbers onto [from, to]; a single value sits in the middle. */
function scale(numbers, from, to) {
  // A loop, not Math.min(...numbers): a long series would overflow the call's arguments.
  let min = Infinity;
  let max = -Infinity;
  for (const number of numbers) {
    min = Math.min(min, number);
    max = Math.max(max, number);
  }
  const span = max - min;
  return { min, max, at: value => span === 0 ? (from + to) / 2 : from + (value - min) / span * (to - from) };
}

function short(number) {
  return String(Number(number.toPrecision(4)));
}

function label(x, y, text, anchor) {
  return svg('text', { x, y, 'text-anchor': anchor }, text);
}

function svg(tag, attributes, ...children) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) {
    element.setAttribute(name, value);
  }
  element.append(...children.flat());
  return element;
}

function valuesTable(name, points) {
  const shown = points.slice(0, TABLE_ROWS);
  return h('details', {},
    h('summary', {}, 'Values'),
    h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': `Values of ${name}` },
      h('table', {},
        h('thead', {}, h('tr', {}, h('th', { scope: 'col', class: 'number' }, 'Step'), h('th', { scope: 'col', class: 'number' }, 'Value'))),
        h('tbody', {}, shown.map(point => h('tr', {},
          h('td', { class: 'number' }, String(point.step)),
          h('td', { class: 'number' }, Number.isFinite(point.value) ? String(point.value) : 'not a number')))))),
    points.length > TABLE_ROWS ? h('p', { class: 'hint' }, `The first ${TABLE_ROWS} of ${points.length} values.`) : null);
}
