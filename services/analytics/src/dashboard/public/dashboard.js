/* global document, window, fetch, localStorage, URLSearchParams, requestAnimationFrame, setInterval */
// The operators' dashboard: plain ES module over the figures API (nothing
// else), Apache ECharts from /dashboard/echarts.esm.min.mjs. Each chart's
// element carries data-state (drawn, empty, error) and data-points (the data
// it shows) once drawn, so that people and the browser test can tell a chart
// with figures from an empty one.
import * as echarts from './echarts.esm.min.mjs';
import { languages, messages } from './i18n.js';

const THROUGHPUT_MS = 2_000;
const FIGURES_MS = 5_000;
const THROUGHPUT_SECONDS = 120;
const palette = ['#1f6feb', '#2f9e6e', '#e6a100', '#8250df', '#d64545', '#0f8b9d', '#8a6d3b', '#6a7687'];

const state = {
  lang: languages.includes(localStorage.getItem('hub.dashboard.lang')) ? localStorage.getItem('hub.dashboard.lang') : 'zh',
  preset: 'all',
  from: '',
  to: '',
  /** The responsible department the warned-case list is narrowed to, by a click on the supervision chart. */
  alertDepartment: '',
  /** The division path opened in the tree: codes from the province down. */
  divisionPath: [],
  departments: new Map(),
  /** The last figures each view drew, to draw again in the other language without asking the API. */
  data: {},
  lastUpdate: undefined,
  failed: false,
};

const $ = (selector) => document.querySelector(selector);
const t = (key, vars = {}) => {
  const text = messages[state.lang][key] ?? messages.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ''));
};
const percent = (value) => (value === null || value === undefined ? '—' : `${(value * 100).toFixed(1)}%`);
const pct = (value) => (value === null || value === undefined ? null : Math.round(value * 1000) / 10);
const integer = (value) => new Intl.NumberFormat(state.lang === 'zh' ? 'zh-CN' : 'en-GB').format(value ?? 0);
const departmentName = (code) => {
  const d = state.departments.get(code);
  if (!d) return code || '—';
  return state.lang === 'zh' ? d.name : capitalise(d.english);
};
const capitalise = (text) => text.charAt(0).toUpperCase() + text.slice(1);
/** A department's name short enough for an axis (the English names are long). */
const departmentShort = (code) => (messages[state.lang][`deptShort.${code}`] ?? departmentName(code));
const dateTime = (iso) => {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(state.lang === 'zh' ? 'zh-CN' : 'en-GB', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).format(date);
};
const shanghaiToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
const addDays = (day, n) => {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + n);
  return date.toISOString().slice(0, 10);
};
const escapeHtml = (text) => String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

// ---------------------------------------------------------------- the API

async function api(path, params = {}) {
  const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== ''));
  const response = await fetch(`${path}${query.size > 0 ? `?${query}` : ''}`, { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.json();
}
const period = () => ({ from: state.from, to: state.to });

// ---------------------------------------------------------------- charts

const charts = new Map();
function chart(name) {
  let instance = charts.get(name);
  if (!instance) {
    const element = document.querySelector(`[data-chart="${name}"]`);
    // SVG: crisp in screenshots, and every mark is an element a test (or an accessibility tool) can reach.
    instance = echarts.init(element, null, { renderer: 'svg' });
    charts.set(name, instance);
  }
  return instance;
}

/** Draws a chart and marks its element with how much data it shows. */
function draw(name, option, points) {
  const element = document.querySelector(`[data-chart="${name}"]`);
  const instance = chart(name);
  if (points === 0) {
    instance.clear();
    element.dataset.state = 'empty';
    element.dataset.message = t('empty');
  } else {
    instance.setOption({ animationDurationUpdate: 400, textStyle: { fontFamily: 'inherit' }, color: palette, ...option }, { replaceMerge: ['series', 'xAxis', 'yAxis', 'visualMap', 'dataZoom', 'legend'] });
    element.dataset.state = 'drawn';
    delete element.dataset.message;
  }
  element.dataset.points = String(points);
}

function failed(name, error) {
  const element = document.querySelector(`[data-chart="${name}"]`);
  element.dataset.state = 'error';
  element.dataset.message = t('error');
  console.warn(name, error);
}

const grid = { left: 48, right: 24, top: 40, bottom: 36, containLabel: true };
const tooltipAxis = { trigger: 'axis', axisPointer: { type: 'shadow' } };
const rateAxis = { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } };
const rateTooltip = (params) => [params[0]?.axisValueLabel ?? '', ...params.map((p) => `${p.marker}${p.seriesName}: ${p.value === null || p.value === undefined ? '—' : `${p.value}%`}`)].join('<br>');

// ---------------------------------------------------------------- live throughput

const topicFamily = (topic) => {
  if (topic === 'cases.events') return 'cases';
  if (topic.startsWith('supervision.')) return 'supervision';
  if (topic.startsWith('exchange.')) return 'exchange';
  if (topic.startsWith('records.')) return 'records';
  if (topic.startsWith('deliveries.')) return 'deliveries';
  return 'other';
};
const families = ['cases', 'supervision', 'exchange', 'records', 'deliveries', 'other'];

async function refreshThroughput() {
  try {
    const { rows } = await api('/api/v1/figures/throughput', { seconds: THROUGHPUT_SECONDS, groupBy: 'second' });
    state.data.throughput = { rows, at: Date.now() };
    drawThroughput();
    markUpdated();
  } catch (error) {
    failed('throughput', error);
    markFailed();
  }
}

function drawThroughput() {
  const { rows, at } = state.data.throughput ?? { rows: [], at: Date.now() };
  const end = Math.floor(at / 1000) * 1000 - 1000;
  const seconds = [];
  for (let s = end - (THROUGHPUT_SECONDS - 1) * 1000; s <= end; s += 1000) seconds.push(new Date(s).toISOString().replace('.000', ''));
  const index = new Map(seconds.map((s, i) => [s, i]));
  const byFamily = new Map();
  let total = 0;
  let latest = '';
  for (const row of rows) {
    const i = index.get(row.at);
    if (i === undefined) continue;
    const family = topicFamily(row.topic);
    if (!byFamily.has(family)) byFamily.set(family, new Array(seconds.length).fill(0));
    byFamily.get(family)[i] += row.events;
    total += row.events;
    if (row.events > 0 && row.at > latest) latest = row.at;
  }
  const recent = seconds.slice(-10);
  const lastTen = rows.filter((r) => recent.includes(r.at)).reduce((n, r) => n + r.events, 0) / 10;
  setKpi('eventsPerSecond', lastTen.toFixed(1));
  const element = $('[data-chart="throughput"]');
  element.dataset.total = String(total);
  element.dataset.latest = latest;
  // Events per second drawn, as [second, events] pairs: what a test (or a curious operator) can read without the chart.
  element.dataset.seconds = JSON.stringify(seconds.map((at, i) => [at, [...byFamily.values()].reduce((n, series) => n + series[i], 0)]).filter(([, n]) => n > 0));
  const label = (iso) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(new Date(iso));
  draw('throughput', {
    animation: false,
    tooltip: { trigger: 'axis' },
    legend: { top: 0, data: families.filter((f) => byFamily.has(f)).map((f) => t(`family.${f}`)) },
    grid,
    xAxis: { type: 'category', boundaryGap: false, data: seconds.map(label), axisLabel: { interval: 19 } },
    yAxis: { type: 'value', name: t('throughput.axis'), minInterval: 1 },
    series: families.filter((f) => byFamily.has(f)).map((f) => ({
      id: f, name: t(`family.${f}`), type: 'line', stack: 'events', areaStyle: { opacity: 0.35 }, symbol: 'none', smooth: 0.2, lineStyle: { width: 1.5 }, data: byFamily.get(f),
    })),
  }, total);
}

// ---------------------------------------------------------------- figures

async function refreshFigures() {
  const p = period();
  const tasks = {
    overall: api('/api/v1/figures/cases', p),
    byDepartment: api('/api/v1/figures/cases', { ...p, groupBy: 'department' }),
    byItem: api('/api/v1/figures/cases', { ...p, groupBy: 'item' }),
    coapproval: api('/api/v1/figures/co-approval', { ...p, groupBy: 'department' }),
    coapprovalOverall: api('/api/v1/figures/co-approval', p),
    supervision: api('/api/v1/figures/supervision', { ...p, groupBy: 'department' }),
    supervisionOverall: api('/api/v1/figures/supervision', p),
    alerted: alertedCases(p),
    matrix: api('/api/v1/figures/exchange-matrix', { ...p, groupBy: 'department' }),
    // The period is applied here, not by the API: exchange-matrix?groupBy=day with from or to answers 500 for now (its day key shadows the day column).
    directions: api('/api/v1/figures/exchange-matrix', { groupBy: 'day' }),
    divisions: divisionLevelsOpen(p),
  };
  const views = {
    kpis: [['overall', 'coapprovalOverall', 'supervisionOverall'], drawKpis],
    departments: [['byDepartment'], drawDepartments],
    items: [['byItem'], drawItems],
    coapproval: [['coapproval', 'coapprovalOverall'], drawCoApproval],
    supervision: [['supervision'], drawSupervision],
    alerted: [['alerted'], drawAlerted],
    matrix: [['matrix'], drawMatrix],
    network: [['matrix'], drawNetwork],
    directions: [['directions'], drawDirections],
    divisions: [['divisions'], drawDivisions],
  };
  const settled = Object.fromEntries(await Promise.all(Object.entries(tasks).map(async ([name, promise]) => {
    try {
      return [name, { ok: true, value: await promise }];
    } catch (error) {
      return [name, { ok: false, error }];
    }
  })));
  let anyFailed = false;
  for (const [view, [needs, render]] of Object.entries(views)) {
    const failure = needs.map((n) => settled[n]).find((s) => !s.ok);
    if (failure) {
      anyFailed = true;
      if (view !== 'kpis' && view !== 'alerted') failed(view, failure.error);
      continue;
    }
    if (current[view] && !current[view](settled[needs[0]].value)) continue;
    state.data[view] = Object.fromEntries(needs.map((n) => [n, settled[n].value]));
    render();
  }
  if (anyFailed) markFailed();
  else markUpdated();
}

function drawAll() {
  const renders = { kpis: drawKpis, departments: drawDepartments, items: drawItems, coapproval: drawCoApproval, supervision: drawSupervision, alerted: drawAlerted, matrix: drawMatrix, network: drawNetwork, directions: drawDirections, divisions: drawDivisions };
  for (const [view, render] of Object.entries(renders)) if (state.data[view]) render();
  if (state.data.throughput) drawThroughput();
}

// KPIs

const kpiNames = ['submitted', 'completed', 'onTimeRate', 'handlingSpeedUp', 'promisedSpeedUp', 'sameDayRate', 'satisfaction', 'coapprovalMedian', 'warnings', 'overdue', 'eventsPerSecond'];
function renderKpiShells() {
  $('#kpis').innerHTML = kpiNames.map((name) => `<div class="kpi ${name === 'warnings' ? 'warn' : name === 'overdue' ? 'danger' : ''}" data-kpi="${name}"><div class="name">${escapeHtml(t(`kpi.${name}`))}</div><div class="value">—</div></div>`).join('');
}
function setKpi(name, html) {
  const element = document.querySelector(`[data-kpi="${name}"] .value`);
  if (element) element.innerHTML = html;
}
function drawKpis() {
  const { overall, coapprovalOverall, supervisionOverall } = state.data.kpis;
  const c = overall.rows[0] ?? {};
  const co = coapprovalOverall.rows[0] ?? {};
  const s = supervisionOverall.rows[0] ?? {};
  setKpi('submitted', integer(c.submitted));
  setKpi('completed', integer(c.completed));
  for (const rate of ['onTimeRate', 'handlingSpeedUp', 'promisedSpeedUp', 'sameDayRate', 'satisfaction']) setKpi(rate, percent(c[rate]));
  setKpi('coapprovalMedian', co.medianWorkingDays === null || co.medianWorkingDays === undefined ? '—' : `${co.medianWorkingDays}<small>${escapeHtml(t('unit.days'))}</small>`);
  setKpi('warnings', integer(s.warnings));
  setKpi('overdue', integer((s.overdue ?? 0) + (s.legalLimitBreaches ?? 0)));
}

// Rates by department and by item

const rateSeries = (rows) => ['onTimeRate', 'handlingSpeedUp', 'promisedSpeedUp'].map((figure) => ({
  id: figure, name: t(`series.${figure}`), type: 'bar', barMaxWidth: 18, data: rows.map((r) => pct(r[figure])),
}));

function drawDepartments() {
  const rows = state.data.departments.byDepartment.rows.filter((r) => r.department);
  draw('departments', {
    tooltip: { ...tooltipAxis, formatter: rateTooltip },
    legend: { top: 0 },
    grid,
    xAxis: { type: 'category', data: rows.map((r) => departmentShort(r.department)), axisLabel: { interval: 0 } },
    yAxis: rateAxis,
    series: rateSeries(rows),
  }, rows.length);
}

function drawItems() {
  const rows = [...state.data.items.byItem.rows].sort((a, b) => (b.submitted - a.submitted));
  const names = rows.map((r) => r.itemName || r.item);
  draw('items', {
    tooltip: { ...tooltipAxis, formatter: rateTooltip },
    legend: { top: 0 },
    grid: { ...grid, left: 8 },
    yAxis: { type: 'category', inverse: true, data: names, axisLabel: { width: 150, overflow: 'truncate' } },
    xAxis: rateAxis,
    dataZoom: rows.length > 10 ? [{ type: 'slider', yAxisIndex: 0, right: 0, width: 12, start: 0, end: Math.round(1000 / rows.length), showDetail: false }, { type: 'inside', yAxisIndex: 0 }] : [],
    series: rateSeries(rows).map((s) => ({ ...s, barMaxWidth: 10 })),
  }, rows.length);
}

// Co-approval

function drawCoApproval() {
  const { coapproval, coapprovalOverall } = state.data.coapproval;
  const rows = coapproval.rows.filter((r) => r.department && r.answered > 0).sort((a, b) => (b.medianWorkingDays ?? 0) - (a.medianWorkingDays ?? 0));
  const slowest = coapprovalOverall.rows[0]?.slowestDepartment ?? null;
  draw('coapproval', {
    tooltip: {
      ...tooltipAxis,
      formatter: (params) => {
        const row = rows[params[0]?.dataIndex ?? 0];
        if (!row) return '';
        return [`<b>${escapeHtml(departmentName(row.department))}</b>${row.department === slowest ? ` · ${escapeHtml(t('coapproval.slowest'))}` : ''}`,
          `${t('coapproval.median')}: ${row.medianWorkingDays ?? '—'} ${t('unit.days')}`, `${t('coapproval.p95')}: ${row.p95WorkingDays ?? '—'} ${t('unit.days')}`,
          `${t('coapproval.tasks')}: ${integer(row.tasks)}`, `${t('coapproval.overdue')}: ${integer(row.overdue)}`].join('<br>');
      },
    },
    legend: { top: 0 },
    grid,
    xAxis: { type: 'category', data: rows.map((r) => departmentShort(r.department)), axisLabel: { interval: 0 } },
    yAxis: { type: 'value', name: t('unit.days'), minInterval: 1 },
    series: [
      {
        id: 'median', name: t('coapproval.median'), type: 'bar', barMaxWidth: 28,
        data: rows.map((r) => ({ value: r.medianWorkingDays, itemStyle: r.department === slowest ? { color: '#d64545' } : undefined, slowest: r.department === slowest })),
        label: { show: true, position: 'top', formatter: (p) => (rows[p.dataIndex]?.department === slowest ? `${t('coapproval.slowest')} ${p.value}` : `${p.value ?? ''}`) },
      },
      { id: 'p95', name: t('coapproval.p95'), type: 'scatter', symbol: 'diamond', symbolSize: 12, itemStyle: { color: '#0f2a4a' }, data: rows.map((r) => r.p95WorkingDays) },
    ],
  }, rows.length);
  const element = $('[data-chart="coapproval"]');
  element.dataset.slowest = slowest ?? '';
}

// Supervision and the warned and overdue cases

function drawSupervision() {
  const rows = state.data.supervision.supervision.rows.filter((r) => r.department).sort((a, b) => b.alerts - a.alerts);
  draw('supervision', {
    tooltip: tooltipAxis,
    legend: { top: 0 },
    grid,
    xAxis: { type: 'category', data: rows.map((r) => departmentShort(r.department)), axisLabel: { interval: 0 } },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      { id: 'warnings', name: t('supervision.warnings'), type: 'bar', stack: 'alerts', barMaxWidth: 32, itemStyle: { color: '#e6a100' }, data: rows.map((r) => r.warnings) },
      { id: 'overdue', name: t('supervision.overdue'), type: 'bar', stack: 'alerts', itemStyle: { color: '#d64545' }, data: rows.map((r) => r.overdue) },
      { id: 'legal', name: t('supervision.legal'), type: 'bar', stack: 'alerts', itemStyle: { color: '#7a1f1f' }, data: rows.map((r) => r.legalLimitBreaches) },
    ],
  }, rows.length);
  chart('supervision').off('click');
  chart('supervision').on('click', (params) => {
    const row = rows[params.dataIndex];
    if (!row) return;
    state.alertDepartment = state.alertDepartment === row.department ? '' : row.department;
    refreshAlerted();
  });
}

async function alertedCases(p) {
  const department = state.alertDepartment;
  return { department, ...(await api('/api/v1/supervision/cases', { ...p, department, limit: 100 })) };
}

async function refreshAlerted() {
  try {
    const alerted = await alertedCases(period());
    if (!current.alerted(alerted)) return;
    state.data.alerted = { alerted };
    drawAlerted();
  } catch (error) {
    console.warn('alerted', error);
  }
}

function drawAlerted() {
  const { total, rows } = state.data.alerted.alerted;
  const table = $('#alerted');
  table.querySelector('thead').innerHTML = `<tr>${['case', 'item', 'department', 'level', 'alerts', 'deadline', 'lastAlert', 'status'].map((c) => `<th class="${c === 'alerts' ? 'num' : ''}">${escapeHtml(t(`col.${c}`))}</th>`).join('')}</tr>`;
  table.querySelector('tbody').innerHTML = rows.length === 0
    ? `<tr class="empty"><td colspan="8">${escapeHtml(t('empty'))}</td></tr>`
    : rows.map((r) => `<tr data-case="${escapeHtml(r.caseId)}" tabindex="0">
        <td class="mono">${escapeHtml(r.caseId)}</td>
        <td class="wrap">${escapeHtml(r.itemName || r.itemCode || '—')}</td>
        <td>${escapeHtml(departmentName(r.responsibleDepartment))}</td>
        <td><span class="badge ${escapeHtml(r.worstLevel)}">${escapeHtml(t(`level.${r.worstLevel}`))}</span></td>
        <td class="num">${integer(r.alerts)}</td>
        <td>${escapeHtml(r.deadline)}</td>
        <td>${escapeHtml(dateTime(r.lastAlertAt))}</td>
        <td>${escapeHtml(r.status ? t(`status.${r.status}`) : '—')}</td>
      </tr>`).join('');
  table.dataset.rows = String(rows.length);
  $('#alerted-count').textContent = t('alerted.count', { n: integer(total) });
  $('#alerted-filter').innerHTML = state.alertDepartment
    ? `${escapeHtml(t('alerted.filtered', { d: departmentName(state.alertDepartment) }))} <button type="button" id="alerted-clear">${escapeHtml(t('alerted.clear'))}</button>`
    : '';
}

// The interconnection matrix: heat map and network

function matrixCells() {
  return state.data.matrix.matrix.rows;
}
function matrixDepartments(cells) {
  const known = [...state.departments.keys()];
  const seen = new Set(cells.flatMap((c) => [c.fromDepartment, c.toDepartment]));
  return [...known.filter((d) => seen.has(d)), ...[...seen].filter((d) => !known.includes(d)).sort()];
}

function drawMatrix() {
  const cells = matrixCells();
  const departments = matrixDepartments(cells);
  const at = new Map(departments.map((d, i) => [d, i]));
  const data = cells.map((c) => ({ value: [at.get(c.toDepartment), at.get(c.fromDepartment), c.exchanges], cell: c }));
  const max = Math.max(1, ...cells.map((c) => c.exchanges));
  draw('matrix', {
    tooltip: {
      formatter: (p) => {
        const c = p.data.cell;
        return [`${escapeHtml(departmentName(c.fromDepartment))} → ${escapeHtml(departmentName(c.toDepartment))} (${escapeHtml(t(`directions.${c.direction}`))})`,
          `${t('matrix.exchanges')}: ${integer(c.exchanges)}`, `${t('matrix.bytes')}: ${integer(c.bytes)}`,
          `${t('matrix.p95')}: ${c.latencyP95Ms ?? '—'} ms`, `${t('matrix.failures')}: ${integer(c.failures)}`].join('<br>');
      },
    },
    grid: { left: 8, right: 24, top: 28, bottom: 84, containLabel: true },
    xAxis: { type: 'category', name: t('matrix.receiver'), nameLocation: 'middle', nameGap: 30, data: departments.map(departmentShort), splitArea: { show: true }, axisLabel: { interval: 0 } },
    yAxis: { type: 'category', name: t('matrix.provider'), data: departments.map(departmentShort), splitArea: { show: true }, axisLabel: { interval: 0 } },
    visualMap: { min: 0, max, calculable: true, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 120, inRange: { color: ['#eaf2ff', '#7fb0ff', '#1f6feb', '#0f2a4a'] } },
    series: [{ id: 'matrix', name: t('matrix.exchanges'), type: 'heatmap', data, label: { show: true, fontSize: 11 }, emphasis: { itemStyle: { borderColor: '#0f2a4a', borderWidth: 1 } } }],
  }, data.length);
}

function drawNetwork() {
  const cells = matrixCells();
  const departments = matrixDepartments(cells);
  const sums = new Map(departments.map((d) => [d, { out: 0, in: 0, vertical: 0 }]));
  for (const c of cells) {
    if (c.direction === 'vertical') sums.get(c.fromDepartment).vertical += c.exchanges;
    else {
      sums.get(c.fromDepartment).out += c.exchanges;
      sums.get(c.toDepartment).in += c.exchanges;
    }
  }
  const total = (d) => sums.get(d).out + sums.get(d).in + sums.get(d).vertical;
  const maxTotal = Math.max(1, ...departments.map(total));
  const maxVertical = Math.max(1, ...departments.map((d) => sums.get(d).vertical));
  const horizontal = cells.filter((c) => c.direction === 'horizontal');
  const maxCell = Math.max(1, ...horizontal.map((c) => c.exchanges));
  // Between departments an arrow from the owner to the receiver; within one department (vertical) a ring round its node, as thick as its share.
  const nodes = departments.map((d, i) => ({
    id: d, name: departmentShort(d), value: total(d), sums: sums.get(d), fullName: departmentName(d),
    symbolSize: 22 + 34 * Math.sqrt(total(d) / maxTotal),
    itemStyle: { color: palette[i % palette.length], borderColor: '#8250df', borderWidth: sums.get(d).vertical === 0 ? 0 : 2 + 7 * (sums.get(d).vertical / maxVertical), borderType: 'solid' },
  }));
  const links = horizontal.map((c) => ({
    source: c.fromDepartment, target: c.toDepartment, value: c.exchanges,
    lineStyle: { width: 1 + 7 * Math.sqrt(c.exchanges / maxCell), opacity: 0.75 },
  }));
  draw('network', {
    tooltip: {
      formatter: (p) => {
        if (p.dataType === 'edge') return `${escapeHtml(departmentName(p.data.source))} → ${escapeHtml(departmentName(p.data.target))}: ${integer(p.data.value)}`;
        const { out, in: received, vertical } = p.data.sums;
        return [`<b>${escapeHtml(p.data.fullName)}</b>`, `${t('network.out')}: ${integer(out)}`, `${t('network.in')}: ${integer(received)}`, `${t('directions.vertical')}: ${integer(vertical)}`].join('<br>');
      },
    },
    series: [{
      id: 'network', type: 'graph', layout: 'circular', circular: { rotateLabel: false }, roam: true, top: 30, bottom: 30, left: 60, right: 120, data: nodes, links,
      edgeSymbol: ['none', 'arrow'], edgeSymbolSize: 9, autoCurveness: true,
      label: { show: true, position: 'right', formatter: '{b}' }, lineStyle: { color: 'source' },
      emphasis: { focus: 'adjacency', lineStyle: { width: 6 } },
    }],
  }, links.length + departments.filter((d) => sums.get(d).vertical > 0).length);
}

function drawDirections() {
  const rows = state.data.directions.directions.rows.filter((r) => (!state.from || r.day >= state.from) && (!state.to || r.day <= state.to));
  const byBucket = new Map();
  const days = new Set(rows.map((r) => r.day));
  const monthly = days.size > 120;
  for (const r of rows) {
    const bucket = monthly ? r.day.slice(0, 7) : r.day;
    if (!byBucket.has(bucket)) byBucket.set(bucket, { horizontal: 0, vertical: 0 });
    byBucket.get(bucket)[r.direction] += r.exchanges;
  }
  const buckets = [...byBucket.keys()].sort();
  const share = buckets.map((b) => {
    const { horizontal, vertical } = byBucket.get(b);
    return horizontal + vertical === 0 ? null : Math.round((horizontal / (horizontal + vertical)) * 1000) / 10;
  });
  draw('directions', {
    tooltip: tooltipAxis,
    legend: { top: 0 },
    grid,
    xAxis: { type: 'category', data: buckets },
    yAxis: [{ type: 'value', minInterval: 1 }, { type: 'value', max: 100, axisLabel: { formatter: '{value}%' }, splitLine: { show: false } }],
    series: [
      { id: 'horizontal', name: t('directions.horizontal'), type: 'bar', stack: 'direction', barMaxWidth: 36, itemStyle: { color: '#2f9e6e' }, data: buckets.map((b) => byBucket.get(b).horizontal) },
      { id: 'vertical', name: t('directions.vertical'), type: 'bar', stack: 'direction', itemStyle: { color: '#8250df' }, data: buckets.map((b) => byBucket.get(b).vertical) },
      { id: 'share', name: t('directions.share'), type: 'line', yAxisIndex: 1, smooth: true, symbolSize: 6, itemStyle: { color: '#e6a100' }, data: share },
    ],
  }, buckets.length);
}

// The division tree, from the region down to a village

/** The children of the root and of every division on the open path: what the tree shows. */
async function divisionLevelsOpen(p) {
  const path = [...state.divisionPath];
  const parents = [undefined, ...path];
  const levels = await Promise.all(parents.map((division) => api('/api/v1/figures/division-tree', { ...p, division })));
  return { path: path.join('/'), parents, levels };
}
/** Whether figures asked for still answer what the page shows: a click may have opened another division, or narrowed the list, meanwhile. */
const current = {
  divisions: (value) => value.path === state.divisionPath.join('/'),
  alerted: (value) => value.department === state.alertDepartment,
};

/** Opens `code`, a division shown at `depth` of the open path (0: a child of the root): the path up to its parent, then it. */
async function openDivision(code, depth) {
  state.divisionPath = [...state.divisionPath.slice(0, depth), code];
  await reloadDivisions();
}

/** Closes the path below `depth` (0: back to the region). */
async function closeDivisions(depth) {
  state.divisionPath = state.divisionPath.slice(0, depth);
  await reloadDivisions();
}

async function reloadDivisions() {
  try {
    const divisions = await divisionLevelsOpen(period());
    if (!current.divisions(divisions)) return;
    state.data.divisions = { divisions };
    drawDivisions();
  } catch (error) {
    failed('divisions', error);
  }
}

const divisionLabel = (row) => `${row.name}${row.name === row.division ? '' : ` ${row.division}`}`;

function drawDivisions() {
  // Drawn along the path the figures were asked for (a click may have moved path on meanwhile).
  const { parents, levels } = state.data.divisions.divisions;
  const path = parents.slice(1);
  const levelOf = new Map(parents.map((parent, i) => [parent ?? '', levels[i]]));
  // Cases placed at a division's own level (no code below it) are listed under the division's own code: a leaf, not a child to open.
  const ownLevel = (row, depth) => depth > 0 && row.division === path[depth - 1];
  const node = (row, depth) => {
    const own = ownLevel(row, depth);
    const open = !own && path[depth] === row.division;
    const children = open ? (levelOf.get(row.division)?.rows ?? []).map((child) => node(child, depth + 1)) : undefined;
    return {
      name: own ? `${row.name} · ${t('divisions.own')}` : divisionLabel(row), value: row.submitted, code: row.division, level: row.level, depth, own, row,
      children, collapsed: !open,
      itemStyle: { color: open ? '#1f6feb' : row.level === 'village' ? '#2f9e6e' : '#fff', borderColor: '#1f6feb' },
      label: open ? { fontWeight: 'bold', position: 'top', align: 'center', verticalAlign: 'bottom', distance: 8 } : { fontWeight: 'normal' },
    };
  };
  const top = levels[0]?.rows ?? [];
  const root = {
    name: t('divisions.root'), code: '', value: top.reduce((n, r) => n + r.submitted, 0), children: top.map((row) => node(row, 0)),
    itemStyle: { color: '#0f2a4a', borderColor: '#0f2a4a' }, label: { fontWeight: 'bold', position: 'top', align: 'center', verticalAlign: 'bottom', distance: 8 },
  };
  const shown = levels.reduce((n, l) => n + l.rows.length, 0);
  const element = $('[data-chart="divisions"]');
  const deepest = levels.at(-1)?.rows ?? [];
  const widest = Math.max(top.length, ...levels.map((l) => l.rows.length));
  element.style.height = `${Math.max(280, Math.min(1400, 28 * widest + 80))}px`;
  chart('divisions').resize();
  draw('divisions', {
    tooltip: {
      formatter: (p) => {
        const r = p.data.row;
        if (!r) return escapeHtml(p.name);
        return [`<b>${escapeHtml(r.name)}</b> ${escapeHtml(r.division)} · ${escapeHtml(t(`divisionLevel.${r.level}`))}`,
          `${t('col.submitted')}: ${integer(r.submitted)}`, `${t('col.completed')}: ${integer(r.completed)}`,
          `${t('col.onTimeRate')}: ${percent(r.onTimeRate)}`, `${t('col.handlingSpeedUp')}: ${percent(r.handlingSpeedUp)}`, `${t('col.satisfaction')}: ${percent(r.satisfaction)}`].join('<br>');
      },
    },
    series: [{
      id: 'divisions', type: 'tree', data: [root], top: 36, bottom: 16, left: 56, right: 240, orient: 'LR',
      symbol: 'circle', symbolSize: 11, expandAndCollapse: false, initialTreeDepth: -1, roam: false,
      animationDurationUpdate: 350,
      label: { position: 'right', verticalAlign: 'middle', align: 'left', fontSize: 12, textBorderColor: '#fff', textBorderWidth: 3 },
      leaves: { label: { position: 'right', verticalAlign: 'middle', align: 'left' } },
      lineStyle: { color: '#b8c7da', width: 1.2 },
    }],
  }, shown);
  element.dataset.path = path.join('/');
  element.dataset.depth = String(path.length);
  element.dataset.level = deepest.find((r) => !ownLevel(r, path.length))?.level ?? '';
  chart('divisions').off('click');
  chart('divisions').on('click', (params) => {
    const code = params.data?.code;
    if (code === undefined || params.data.own) return;
    const depth = params.data.depth;
    if (code === '') closeDivisions(0);
    else if (path[depth] === code) closeDivisions(depth);
    else if (params.data.level !== 'village') openDivision(code, depth);
  });

  // The breadcrumb and the table of the open division's children.
  const pathRows = path.map((code, i) => levels[i]?.rows.find((r) => r.division === code) ?? { division: code, name: code, level: '' });
  $('#division-path').innerHTML = [`<button type="button" data-depth="0" ${path.length === 0 ? 'aria-current="true"' : ''}>${escapeHtml(t('divisions.root'))}</button>`,
    ...pathRows.map((r, i) => `<span class="sep">›</span><button type="button" data-depth="${i + 1}" ${i === pathRows.length - 1 ? 'aria-current="true"' : ''}>${escapeHtml(r.name)}</button>`)].join('');
  const table = $('#division-children');
  table.querySelector('thead').innerHTML = `<tr>${['division', 'submitted', 'completed', 'inProgress', 'onTimeRate', 'handlingSpeedUp', 'satisfaction'].map((c) => `<th class="${c === 'division' ? '' : 'num'}">${escapeHtml(t(`col.${c}`))}</th>`).join('')}</tr>`;
  table.querySelector('tbody').innerHTML = deepest.length === 0
    ? `<tr class="empty"><td colspan="7">${escapeHtml(t('empty'))}</td></tr>`
    : deepest.map((r) => `<tr data-division="${escapeHtml(r.division)}" data-level="${escapeHtml(r.level)}" ${ownLevel(r, path.length) ? 'data-own="true" class="own"' : 'tabindex="0"'}>
        <td class="wrap">${escapeHtml(r.name)} <span class="mono">${escapeHtml(r.division)}</span> · ${escapeHtml(ownLevel(r, path.length) ? t('divisions.own') : t(`divisionLevel.${r.level}`))}</td>
        <td class="num">${integer(r.submitted)}</td><td class="num">${integer(r.completed)}</td><td class="num">${integer(r.inProgress)}</td>
        <td class="num">${percent(r.onTimeRate)}</td><td class="num">${percent(r.handlingSpeedUp)}</td><td class="num">${percent(r.satisfaction)}</td>
      </tr>`).join('');
}

// ---------------------------------------------------------------- one case's history

async function openCase(caseId) {
  const dialog = $('#case-dialog');
  $('#case-title').textContent = `${t('case.title')} ${caseId}`;
  $('#case-facts').innerHTML = '';
  $('#case-alerts').innerHTML = '';
  $('#case-history').innerHTML = '';
  dialog.dataset.case = caseId;
  dialog.dataset.events = '';
  if (!dialog.open) dialog.showModal();
  try {
    const detail = await api(`/api/v1/cases/${encodeURIComponent(caseId)}/events`);
    state.data.case = detail;
    drawCase();
  } catch (error) {
    $('#case-history').innerHTML = `<li>${escapeHtml(t('error'))}</li>`;
    console.warn('case', error);
  }
}

function drawCase() {
  const detail = state.data.case;
  if (!detail) return;
  $('#case-title').textContent = `${t('case.title')} ${detail.caseId}`;
  const facts = detail.case ?? {};
  const yesNo = (v) => (v === null || v === undefined ? '—' : Number(v) === 1 ? t('yes') : t('no'));
  const shown = [
    ['itemName', facts.itemName], ['leadDepartment', departmentName(facts.leadDepartment)], ['status', facts.status ? t(`status.${facts.status}`) : '—'],
    ['submittedAt', dateTime(facts.submittedAt)], ['acceptedOn', facts.acceptedOn], ['promisedDueDate', facts.promisedDueDate], ['legalDueDate', facts.legalDueDate],
    ['decidedOn', facts.decidedOn], ['workingDaysUsed', facts.workingDaysUsed], ['onTime', yesNo(facts.onTime)], ['divisionCode', facts.divisionCode], ['centreId', facts.centreId],
  ];
  $('#case-facts').innerHTML = shown.map(([k, v]) => `<dt>${escapeHtml(t(`fact.${k}`))}</dt><dd>${escapeHtml(v ?? '—')}</dd>`).join('');
  $('#case-alerts').innerHTML = detail.alerts.length === 0
    ? `<li>${escapeHtml(t('case.noAlerts'))}</li>`
    : detail.alerts.map((a) => `<li><span class="badge ${escapeHtml(a.level)}">${escapeHtml(t(`level.${a.level}`))}</span> ${escapeHtml(dateTime(a.occurredAt))} · ${escapeHtml(departmentName(a.responsibleDepartment))} · ${escapeHtml(t('col.deadline'))} ${escapeHtml(a.deadline)}</li>`).join('');
  const timeline = [
    ...detail.rows.map((e) => ({ at: e.occurredAt, kind: 'event', e })),
    ...detail.alerts.map((a) => ({ at: a.occurredAt, kind: 'alert', a })),
  ].sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : 0));
  $('#case-history').innerHTML = timeline.map((entry) => {
    if (entry.kind === 'alert') {
      const a = entry.a;
      return `<li class="alert"><time>${escapeHtml(dateTime(a.occurredAt))}</time><span class="what">${escapeHtml(t(`level.${a.level}`))}</span> · ${escapeHtml(departmentName(a.responsibleDepartment))}<div class="detail">${escapeHtml(t('col.deadline'))} ${escapeHtml(a.deadline)}</div></li>`;
    }
    const e = entry.e;
    const data = e.data ?? {};
    const department = data.coApprover ?? data.department;
    const who = department ? ` · ${departmentName(department)}` : '';
    const detailText = ['reason', 'opinion', 'comment'].map((k) => data[k]).filter(Boolean).join(' · ');
    return `<li data-event="${escapeHtml(e.type)}"><time>${escapeHtml(dateTime(e.occurredAt))}</time><span class="what">${escapeHtml(t(`event.${e.type}`) === `event.${e.type}` ? e.type : t(`event.${e.type}`))}</span>${escapeHtml(who)} <span class="mono">#${e.version}</span>${detailText ? `<div class="detail">${escapeHtml(detailText)}</div>` : ''}<div class="detail mono">${escapeHtml(e.source)}</div></li>`;
  }).join('');
  $('#case-dialog').dataset.events = String(detail.rows.length);
}

// ---------------------------------------------------------------- the page

function applyLanguage() {
  document.documentElement.lang = state.lang === 'zh' ? 'zh-CN' : 'en';
  document.body.dataset.lang = state.lang;
  document.title = t('title');
  for (const element of document.querySelectorAll('[data-i18n]')) element.textContent = t(element.dataset.i18n);
  for (const button of document.querySelectorAll('button[data-lang]')) button.setAttribute('aria-pressed', String(button.dataset.lang === state.lang));
  renderKpiShells();
  drawAll();
  if ($('#case-dialog').open) drawCase();
}

function applyPreset(preset) {
  const today = shanghaiToday();
  const ranges = { all: ['', ''], today: [today, today], '7d': [addDays(today, -6), today], '30d': [addDays(today, -29), today], '90d': [addDays(today, -89), today], year: [`${today.slice(0, 4)}-01-01`, today] };
  const range = ranges[preset];
  if (!range) return;
  state.preset = preset;
  [state.from, state.to] = range;
  syncPeriodInputs();
}
function syncPeriodInputs() {
  const form = $('#period');
  form.elements.from.value = state.from;
  form.elements.to.value = state.to;
  for (const button of form.querySelectorAll('[data-preset]')) button.setAttribute('aria-pressed', String(button.dataset.preset === state.preset));
}

function markUpdated() {
  state.lastUpdate = new Date();
  $('#live').classList.remove('stale');
  $('#updated').textContent = new Intl.DateTimeFormat(state.lang === 'zh' ? 'zh-CN' : 'en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(state.lastUpdate);
  $('#updated').dateTime = state.lastUpdate.toISOString();
}
function markFailed() {
  $('#live').classList.add('stale');
}

/** Runs `task` every `ms`, never two at once, and not while the page is hidden. */
function every(ms, task) {
  let running = false;
  const tick = async () => {
    if (running || document.hidden) return;
    running = true;
    try {
      await task();
    } finally {
      running = false;
    }
  };
  setInterval(tick, ms);
  return tick;
}

async function start() {
  try {
    const { rows } = await api('/api/v1/departments');
    state.departments = new Map(rows.map((d) => [d.code, d]));
  } catch (error) {
    console.warn('departments', error);
  }
  applyPreset('all');
  applyLanguage();

  for (const button of document.querySelectorAll('button[data-lang]')) {
    button.addEventListener('click', () => {
      state.lang = button.dataset.lang;
      localStorage.setItem('hub.dashboard.lang', state.lang);
      applyLanguage();
    });
  }
  const figures = every(FIGURES_MS, refreshFigures);
  const throughput = every(THROUGHPUT_MS, refreshThroughput);
  const form = $('#period');
  for (const button of form.querySelectorAll('[data-preset]')) {
    button.addEventListener('click', () => {
      applyPreset(button.dataset.preset);
      figures();
    });
  }
  form.addEventListener('change', () => {
    const from = form.elements.from.value;
    const to = form.elements.to.value;
    if (from && to && from > to) return;
    state.from = from;
    state.to = to;
    state.preset = '';
    syncPeriodInputs();
    figures();
  });
  form.addEventListener('submit', (event) => event.preventDefault());

  $('#alerted tbody').addEventListener('click', (event) => {
    const row = event.target.closest('tr[data-case]');
    if (row) openCase(row.dataset.case);
  });
  $('#alerted tbody').addEventListener('keydown', (event) => {
    const row = event.target.closest('tr[data-case]');
    if (row && event.key === 'Enter') openCase(row.dataset.case);
  });
  $('#alerted-filter').addEventListener('click', (event) => {
    if (event.target.id !== 'alerted-clear') return;
    state.alertDepartment = '';
    refreshAlerted();
  });
  $('#division-children tbody').addEventListener('click', (event) => {
    const row = event.target.closest('tr[data-division]');
    if (row && !row.dataset.own && row.dataset.level !== 'village') openDivision(row.dataset.division, state.divisionPath.length);
  });
  $('#division-path').addEventListener('click', (event) => {
    const button = event.target.closest('button[data-depth]');
    if (button) closeDivisions(Number(button.dataset.depth));
  });
  $('#case-close').addEventListener('click', () => $('#case-dialog').close());
  window.addEventListener('resize', () => requestAnimationFrame(() => charts.forEach((c) => c.resize())));
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden) {
      figures();
      throughput();
    }
  });
  await Promise.all([figures(), throughput()]);
}

start();
