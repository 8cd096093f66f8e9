/**
 * report.html: one self-contained page (uPlot and its stylesheet inlined, nothing fetched) that
 * answers "was the cluster big enough, and when was it not?" for someone who never used
 * Timoneiro. Built from the run's summary, its metrics rows and the heat map — all from the
 * events, so `report LOG` rebuilds the same page.
 *
 * Every name from the input (scenario, pods, nodes, Services, resources, reasons) reaches the page
 * either escaped into HTML here or as JSON read by the page's script and shown with
 * `textContent` (uPlot writes its labels so too): never as markup.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { formatTick } from "../cli/format.js";
import type { MetricsRow } from "../metrics/metrics.js";
import { approximateAmount, formatSummary, latencyBucketLabels, type RunSummary } from "../metrics/summary.js";
import type { Heatmap } from "./heatmap.js";

export interface ReportInput {
  readonly summary: RunSummary;
  readonly rows: readonly MetricsRow[];
  readonly heatmap: Heatmap;
}

/** Text for HTML: element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[char] as string);
}

/** JSON inside a <script> element: nothing in it can close the element or start a comment. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

let uplotAssets: { script: string; style: string } | undefined;

/** uPlot's minified build and stylesheet, from the installed package (read once). */
export function uplot(): { script: string; style: string } {
  if (uplotAssets === undefined) {
    const require = createRequire(import.meta.url);
    uplotAssets = {
      script: readFileSync(require.resolve("uplot/dist/uPlot.iife.min.js"), "utf8"),
      style: readFileSync(require.resolve("uplot/dist/uPlot.min.css"), "utf8"),
    };
  }
  return uplotAssets;
}

/**
 * What both pages' scripts use, defined once: the series colours, a duration as the CLI writes it
 * (`1h30m`), and the time axis' steps in seconds (whole minutes and hours, not uPlot's decimals).
 */
const SHARED_SCRIPT = String.raw`
var TIMONEIRO = {
  palette: ["#4a78b5", "#e8a33d", "#5aa469", "#c0392b", "#8e6bbf", "#3bb3c3", "#b5651d", "#d45d9c", "#7f8c8d", "#2c3e50", "#a3b53a", "#f06b6b"],
  duration: function (seconds) {
    if (seconds == null) return "";
    var h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = Math.round(seconds % 60);
    return (h ? h + "h" : "") + (m ? m + "m" : "") + (s || (!h && !m) ? s + "s" : "");
  },
  timeSteps: [1, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800]
};
`;

/** The start of compare.html and fgd.html: the head (uPlot's stylesheet, the pages' common style, `style`), the body opened, the title as the heading. */
export function pageStart(title: string, style: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>${uplot().style}</style>
<style>
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 24px auto; max-width: 1000px; padding: 0 16px; color: #222; }
h1 { font-size: 22px; } h2 { font-size: 17px; margin-top: 28px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
${style}
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
`;
}

/** A page's end: its data (JSON, read by its script as `#id`), uPlot, the shared helpers (`TIMONEIRO`), its own script. */
export function pageEnd(id: string, data: unknown, script: string): string {
  return `<script type="application/json" id="${id}">${scriptJson(data)}</script>
<script>${uplot().script}</script>
<script>${SHARED_SCRIPT}</script>
<script>${script}</script>
</body>
</html>
`;
}

/**
 * The series the page's script plots as steps: each metrics row's value from its start (`from`)
 * until the next row's (its gauges are the state at its end, its counters its sums), and the last
 * row's once more at `until`, so the final step is drawn.
 */
function series(metricsRows: readonly MetricsRow[], until: number): object {
  const last = metricsRows[metricsRows.length - 1];
  const rows = last === undefined ? [] : [...metricsRows, { ...last, from: Math.max(until, last.from) }];
  const names = <T>(pick: (row: MetricsRow) => Readonly<Record<string, T>>) => [...new Set(rows.flatMap((row) => Object.keys(pick(row))))].sort();
  const resources = names((row) => row.allocatable);
  const services = names((row) => row.services);
  const shapes = names((row) => row.lowerBound);
  const finite = (value: number | undefined) => (value === undefined || !Number.isFinite(value) ? null : value);
  return {
    t: rows.map((row) => row.from),
    resources: Object.fromEntries(resources.map((name) => [name, { allocatable: rows.map((row) => row.allocatable[name] ?? 0), requested: rows.map((row) => row.requested[name] ?? 0) }])),
    pending: rows.map((row) => row.pending),
    running: rows.map((row) => row.running),
    terminating: rows.map((row) => row.terminating),
    unschedulable: rows.map((row) => row.unschedulable),
    nodes: rows.map((row) => row.nodes),
    nodesInUse: rows.map((row) => row.nodesInUse),
    lowerBound: Object.fromEntries(shapes.map((shape) => [shape, rows.map((row) => finite(row.lowerBound[shape]))])),
    services: Object.fromEntries(services.map((name) => [name, { ready: rows.map((row) => row.services[name]?.ready ?? null), desired: rows.map((row) => row.services[name]?.desired ?? null) }])),
  };
}

/** Horizontal bars as SVG (drawn here, so they show without the script). */
function barsSvg(entries: readonly (readonly [string, number])[], unit: string): string {
  if (entries.length === 0) return `<p class="none">None.</p>`;
  const max = Math.max(...entries.map(([, value]) => value), 1);
  const rowHeight = 22;
  const labelWidth = 300;
  const width = 760;
  const bars = entries.map(([label, value], index) => {
    const y = index * rowHeight;
    const length = Math.max(1, Math.round(((width - labelWidth - 90) * value) / max));
    return `<g><text x="${labelWidth - 8}" y="${y + 15}" text-anchor="end">${escapeHtml(label)}</text>` +
      `<rect x="${labelWidth}" y="${y + 3}" width="${length}" height="${rowHeight - 6}" fill="#4a78b5"><title>${escapeHtml(`${label}: ${value} ${unit}`)}</title></rect>` +
      `<text x="${labelWidth + length + 6}" y="${y + 15}">${value.toLocaleString("en-US")}</text></g>`;
  }).join("");
  return `<svg class="bars" role="img" width="${width}" height="${entries.length * rowHeight}" viewBox="0 0 ${width} ${entries.length * rowHeight}">${bars}</svg>`;
}

/** A Service's availability as a strip over the run: red where fewer than desired were ready, dark red where none. */
function availabilitySvg(summary: RunSummary, service: RunSummary["services"][string]): string {
  const width = 600;
  const end = Math.max(summary.until, 1);
  const x = (t: number) => Math.round((t / end) * width * 10) / 10;
  const spans = (list: readonly (readonly [number, number])[], color: string, what: string) => list.map(([from, to]) =>
    `<rect x="${x(from)}" y="0" width="${Math.max(1, x(to) - x(from))}" height="16" fill="${color}"><title>${escapeHtml(`${what} ${formatTick(from)}–${formatTick(to)}`)}</title></rect>`).join("");
  return `<svg class="strip" role="img" width="${width}" height="16" viewBox="0 0 ${width} 16"><rect x="${x(service.since)}" y="0" width="${width - x(service.since)}" height="16" fill="#7bbf7b"/>` +
    spans(service.belowDesired, "#e8a33d", "fewer ready than desired") + spans(service.noEndpoint, "#c0392b", "no ready endpoint") + `</svg>`;
}

function spansText(list: readonly (readonly [number, number])[]): string {
  if (list.length === 0) return "never";
  const total = list.reduce((sum, [from, to]) => sum + (to - from), 0);
  const shown = list.slice(0, 6).map(([from, to]) => `${formatTick(from)}–${formatTick(to)}`).join(", ");
  return `${shown}${list.length > 6 ? ", …" : ""} (${formatTick(total)} in all)`;
}

/** The page's answer to "was the cluster big enough, and when was it not?", in plain words: placement, then the Services that went short. */
function verdict(summary: RunSummary): string {
  const short = Object.entries(summary.services).filter(([, service]) => service.belowDesired.length > 0 || service.noEndpoint.length > 0);
  const total = (spans: readonly (readonly [number, number])[]) => spans.reduce((sum, [from, to]) => sum + (to - from), 0);
  const availability = short.length === 0 ? "" : ` Availability: ${short.length} Service(s) had fewer ready pods than desired for a while: ${short.slice(0, 5).map(([name, service]) =>
    `${name} (${formatTick(total(service.belowDesired.length > 0 ? service.belowDesired : service.noEndpoint))}${service.noEndpoint.length > 0 ? `, none ready for ${formatTick(total(service.noEndpoint))}` : ""})`).join(", ")}${short.length > 5 ? ", …" : ""}.`;
  return placement(summary) + availability;
}

function placement(summary: RunSummary): string {
  const starved = Object.keys(summary.attempts.byReason).filter((reason) => reason.startsWith("Insufficient ") || reason === "Too many pods");
  const waiting = summary.waitingAtEnd.pods;
  if (summary.unschedulable.length === 0) {
    return `Yes. Every pod found a node when it was tried: no pod had to wait after a failed scheduling attempt.`;
  }
  const when = spansText(summary.unschedulable);
  const what = starved.length > 0 ? `not enough ${starved.map((reason) => reason.replace("Insufficient ", "")).join(" and ")}` : "no node matched the pods' constraints (not a shortage of resources)";
  return `${starved.length > 0 ? "No" : "Capacity was not the problem, but pods waited"}: ${what}. Pods waited for a node ${when}.` +
    (waiting > 0 ? ` ${waiting.toLocaleString("en-US")} pod(s) were still waiting when the run ended.` : " Every pod that waited was placed before the end.");
}

export function reportHtml(input: ReportInput): string {
  const { summary, rows, heatmap } = input;
  const assets = uplot();
  const run = summary.run;
  const header: [string, string][] = [
    ["Scenario", run.scenario], ["Seed", String(run.seed)], ["Scheduler", run.scheduler], ["Engine", run.engine],
    ["Simulated time", `0s–${formatTick(summary.until)} from ${run.startTime}`], ["Events", run.events.toLocaleString("en-US")],
    ["Metrics interval", formatTick(summary.intervalSeconds)],
  ];
  const reasons = Object.entries(summary.attempts.byReason);
  const latencyLabels = latencyBucketLabels();
  const histogram = summary.latency.histogram.map((count, index) => [latencyLabels[index] as string, count] as const);
  const services = Object.entries(summary.services);
  const slow = summary.slowest.filter((pod) => pod.waited > 0);
  const resourceNames = Object.keys(summary.allocation);
  const data = { series: series(rows, summary.until), heatmap, until: summary.until };
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`Timoneiro report: ${run.scenario}`)}</title>
<style>${assets.style}</style>
<style>
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 24px auto; max-width: 1000px; padding: 0 16px; color: #222; }
h1 { font-size: 22px; margin-bottom: 4px; } h2 { font-size: 17px; margin-top: 32px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
.caption { color: #555; margin: 4px 0 10px; } .none { color: #777; font-style: italic; }
table { border-collapse: collapse; } td, th { padding: 2px 10px 2px 0; text-align: left; vertical-align: top; }
table.header td:first-child { color: #555; } .answer { font-size: 16px; background: #f4f6fa; border-left: 4px solid #4a78b5; padding: 10px 14px; }
pre { background: #fafafa; border: 1px solid #eee; padding: 10px; overflow-x: auto; font-size: 12.5px; }
svg text { font: 12px system-ui, sans-serif; fill: #333; } .chart { margin: 8px 0 16px; }
#heatmap-wrap { position: relative; } #heatmap { border: 1px solid #ccc; image-rendering: pixelated; } #heatmap-tip { position: absolute; background: #fff; border: 1px solid #999; padding: 2px 6px; font-size: 12px; pointer-events: none; display: none; }
.legend-scale { display: inline-block; width: 160px; height: 10px; background: linear-gradient(to right, #f7fbff, #fdd49e, #ef6548, #7f0000); vertical-align: middle; margin: 0 6px; }
</style>
</head>
<body>
<h1>${escapeHtml(`Timoneiro report: ${run.scenario}`)}</h1>
<table class="header">${header.map(([key, value]) => `<tr><td>${escapeHtml(key)}</td><td>${escapeHtml(value)}</td></tr>`).join("")}</table>

<h2>Was the cluster big enough?</h2>
<p class="answer" id="verdict">${escapeHtml(verdict(summary))}</p>
<pre id="summary">${escapeHtml(formatSummary(summary).join("\n"))}</pre>

<h2>Requested against allocatable</h2>
<p class="caption">What the pods placed on nodes request (their claim on the node, as the scheduler counts it) against what the nodes offer, per resource, at the end of each ${escapeHtml(formatTick(summary.intervalSeconds))}. Where the two lines meet, the cluster is full for that resource.</p>
${resourceNames.map((name, index) => `<div class="chart uplot-chart" id="resource-${index}"></div>`).join("\n")}

<h2>Pods over time</h2>
<p class="caption">Pods Pending (not yet placed or not yet started), Running and Terminating; below, how many scheduling attempts failed in each interval. Pending pods with failed attempts mean the cluster could not place them.</p>
<div class="chart uplot-chart" id="pods"></div>
<div class="chart uplot-chart" id="attempts"></div>

<h2>Nodes</h2>
<p class="caption">Nodes in the cluster, nodes holding at least one pod, and the lower bound: the fewest nodes of each shape that could hold everything requested at that moment (a perfect packing).</p>
<div class="chart uplot-chart" id="nodes"></div>

<h2>Allocation per node</h2>
<p class="caption">Each row is a node (or a group of nodes, in the order they joined), each column a span of ${escapeHtml(formatTick(heatmap.columnSeconds))}; the colour is the node's dominant share — the larger of its cpu and memory (and extended resources) requested over allocatable. Blank: not in the cluster. <span>0%</span><span class="legend-scale"></span><span>100%</span></p>
<div id="heatmap-wrap"><canvas id="heatmap" width="800" height="300"></canvas><div id="heatmap-tip"></div></div>

<h2>Scheduling latency</h2>
<p class="caption">How long pods waited from creation until they were bound to a node, over the ${summary.latency.pods.toLocaleString("en-US")} pod(s) bound: p50 ${escapeHtml(summary.latency.p50 === null ? "-" : formatTick(summary.latency.p50))}, p90 ${escapeHtml(summary.latency.p90 === null ? "-" : formatTick(summary.latency.p90))}, p99 ${escapeHtml(summary.latency.p99 === null ? "-" : formatTick(summary.latency.p99))}, max ${escapeHtml(summary.latency.max === null ? "-" : formatTick(summary.latency.max))}.</p>
<div class="chart" id="latency">${barsSvg(histogram, "pod(s)")}</div>
${slow.length === 0 ? `<p class="none" id="slowest">No pod waited: every one was bound in the tick it was created.</p>` : `<p class="caption">The pods that waited longest:</p>
<table id="slowest"><tr><th>Pod</th><th>Created</th><th>Waited</th><th></th></tr>${slow.map((pod) => `<tr><td>${escapeHtml(pod.pod)}</td><td>${escapeHtml(formatTick(pod.createdAt))}</td><td>${escapeHtml(formatTick(pod.waited))}</td><td>${pod.bound ? "bound" : "still pending at the end"}</td></tr>`).join("")}</table>`}

<h2>Why pods could not be placed</h2>
<p class="caption">The FailedScheduling reasons kube-scheduler gave, counted once per failed attempt for each reason its message names.</p>
<div class="chart" id="reasons">${barsSvg(reasons, "attempt(s)")}</div>

<h2>Services</h2>
<p class="caption">Each Service's ready endpoints against what its workloads want (the replicas of the Deployments, StatefulSets … whose pods it selects). Green: all ready; orange: fewer than desired; red: none ready.</p>
${services.length === 0 ? `<p class="none">No Services in this run.</p>` : `<table id="services"><tr><th>Service</th><th>Ready at the end</th><th>Over the run</th><th>Fewer than desired</th></tr>${services.map(([name, service]) =>
    `<tr><td>${escapeHtml(name)}</td><td>${service.ready}${service.desired === undefined ? "" : `/${service.desired}`}</td><td>${availabilitySvg(summary, service)}</td><td>${escapeHtml(service.desired === undefined ? "no workload selected" : spansText(service.belowDesired))}</td></tr>`).join("")}</table>
<div class="chart uplot-chart" id="services-chart"></div>`}

<h2>Mean allocation</h2>
<table id="allocation"><tr><th>Resource</th><th>Mean requested</th><th>Mean allocatable</th><th>Peak</th></tr>${resourceNames.map((name) => {
    const figures = summary.allocation[name] as RunSummary["allocation"][string];
    return `<tr><td>${escapeHtml(name)}</td><td>${escapeHtml(approximateAmount(name, figures.meanRequested))}</td><td>${escapeHtml(approximateAmount(name, figures.meanAllocatable))}</td><td>${Math.round(figures.peakShare * 1000) / 10}% at ${escapeHtml(formatTick(figures.peakAt))}</td></tr>`;
  }).join("")}</table>

${pageEnd("report-data", data, PAGE_SCRIPT)}`;
}

/** The page's own script: draws the uPlot charts and the heat map from #report-data. */
const PAGE_SCRIPT = String.raw`
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var s = data.series;
  var palette = TIMONEIRO.palette, duration = TIMONEIRO.duration;
  function amount(name) {
    return function (u, vals) {
      return vals.map(function (v) {
        if (v == null) return "";
        if (v === 0) return "0";
        if (name === "cpu") return v >= 1000 ? +(v / 1000).toPrecision(3) + "" : Math.round(v) + "m";
        if (name === "memory" || name === "ephemeral-storage") {
          var units = ["", "Ki", "Mi", "Gi", "Ti", "Pi"], k = 0;
          while (Math.abs(v) >= 1024 && k < units.length - 1) { v /= 1024; k++; }
          return +v.toPrecision(3) + units[k];
        }
        return +v.toPrecision(4) + "";
      });
    };
  }
  function width(el) { return Math.max(320, Math.min(960, (el.parentElement || document.body).clientWidth || 900)); }
  function chart(id, title, names, columns, yLabel, yValues) {
    var el = document.getElementById(id);
    if (!el) return;
    var series = [{ label: "time", value: function (u, v) { return duration(v); } }];
    for (var i = 0; i < names.length; i++) series.push({ label: names[i], stroke: palette[i % palette.length], width: 2, spanGaps: false, points: { show: false }, paths: uPlot.paths.stepped({ align: 1 }) });
    new uPlot({
      title: title, width: width(el), height: 240, series: series,
      scales: { x: { time: false } },
      axes: [{ incrs: TIMONEIRO.timeSteps, values: function (u, vals) { return vals.map(duration); } }, { label: yLabel, size: 70, values: yValues || amount("") }],
      legend: { live: true }
    }, [s.t].concat(columns), el);
  }
  Object.keys(s.resources).forEach(function (name, index) {
    var r = s.resources[name];
    chart("resource-" + index, name + ": requested and allocatable", ["requested", "allocatable"], [r.requested, r.allocatable], name === "cpu" ? "cpu (cores)" : name === "memory" ? "memory (Mi = 2^20 bytes)" : name, amount(name));
  });
  chart("pods", "Pods", ["Pending", "Running", "Terminating"], [s.pending, s.running, s.terminating], "pods");
  chart("attempts", "Failed scheduling attempts per interval", ["failed attempts"], [s.unschedulable], "attempts");
  var shapes = Object.keys(s.lowerBound);
  chart("nodes", "Nodes", ["nodes", "in use"].concat(shapes.map(function (shape) { return "lower bound, " + shape; })),
    [s.nodes, s.nodesInUse].concat(shapes.map(function (shape) { return s.lowerBound[shape]; })), "nodes");
  var services = Object.keys(s.services);
  if (services.length > 0) {
    chart("services-chart", "Ready endpoints as % of desired", services, services.map(function (name) {
      var r = s.services[name];
      return r.ready.map(function (ready, i) { var want = r.desired[i]; return ready == null || want == null || want === 0 ? null : Math.round(1000 * ready / want) / 10; });
    }), "% ready");
  }
  // The heat map: one rectangle per cell.
  var hm = data.heatmap, canvas = document.getElementById("heatmap");
  if (canvas && hm.rows.length > 0) {
    var cw = Math.max(2, Math.floor(900 / hm.columns)), ch = Math.max(2, Math.min(24, Math.floor(600 / hm.rows.length)));
    canvas.width = cw * hm.columns; canvas.height = ch * hm.rows.length;
    canvas.style.width = canvas.width + "px"; canvas.style.height = canvas.height + "px";
    var ctx = canvas.getContext("2d");
    var stops = [[0, [247, 251, 255]], [40, [253, 212, 158]], [75, [239, 101, 72]], [100, [127, 0, 0]]];
    function colour(p) {
      for (var k = 1; k < stops.length; k++) {
        if (p <= stops[k][0]) {
          var a = stops[k - 1], b = stops[k], f = (p - a[0]) / (b[0] - a[0]);
          return "rgb(" + [0, 1, 2].map(function (j) { return Math.round(a[1][j] + f * (b[1][j] - a[1][j])); }).join(",") + ")";
        }
      }
      return "rgb(127,0,0)";
    }
    for (var r = 0; r < hm.rows.length; r++) {
      var cells = hm.rows[r].cells;
      for (var c = 0; c < cells.length; c++) {
        if (cells[c] < 0) continue;
        ctx.fillStyle = colour(Math.min(100, cells[c]));
        ctx.fillRect(c * cw, r * ch, cw, ch);
      }
    }
    var tip = document.getElementById("heatmap-tip");
    canvas.addEventListener("mousemove", function (e) {
      var rect = canvas.getBoundingClientRect();
      var c = Math.floor((e.clientX - rect.left) / cw), r = Math.floor((e.clientY - rect.top) / ch);
      var row = hm.rows[r];
      if (!row || c < 0 || c >= hm.columns) { tip.style.display = "none"; return; }
      var value = row.cells[c];
      tip.textContent = (row.nodes === 1 ? row.first : row.first + " … " + row.last + " (" + row.nodes + " nodes)") + ", " +
        duration(c * hm.columnSeconds) + "–" + duration((c + 1) * hm.columnSeconds) + ": " + (value < 0 ? "not in the cluster" : value + "%");
      tip.style.left = (e.clientX - rect.left + 12) + "px"; tip.style.top = (e.clientY - rect.top + 12) + "px"; tip.style.display = "block";
    });
    canvas.addEventListener("mouseleave", function () { tip.style.display = "none"; });
  }
})();
`;
