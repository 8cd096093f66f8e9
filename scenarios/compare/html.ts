/**
 * compare.html: the comparison table and, for the first seed, each candidate's run overlaid on
 * the same plots (pending pods, cpu and memory allocated, nodes in use, failed attempts). One
 * self-contained file, as report.html: uPlot inlined, names escaped or shown as text.
 */
import { formatTick } from "../cli/format.js";
import { escapeHtml, pageEnd, pageStart } from "../report/html.js";
import { comparisonVerdict, type Comparison, type Spread } from "./compare.js";
import type { CompareRun } from "./worker.js";

function cell(kind: Comparison["figures"][number]["kind"], value: number | null): string {
  if (value === null) return "-";
  if (kind === "seconds") return formatTick(Math.round(value));
  if (kind === "percent") return `${Math.round(value * 10) / 10}%`;
  if (kind === "decimal") return String(Math.round(value * 100) / 100);
  return value.toLocaleString("en-US");
}

/** Per candidate (first seed): the series plotted, one value per metrics row from its start. */
function overlaid(comparison: Comparison, runs: readonly CompareRun[]): object {
  const first = runs[0];
  const share = (requested: number | undefined, allocatable: number | undefined) => (allocatable === undefined || allocatable === 0 ? null : Math.round(((requested ?? 0) / allocatable) * 1000) / 10);
  return {
    t: (first?.rows ?? []).map((row) => row.from),
    candidates: comparison.candidates.map((candidate) => candidate.name),
    pending: runs.map((run) => run.rows.map((row) => row.pending)),
    cpu: runs.map((run) => run.rows.map((row) => share(row.requested["cpu"], row.allocatable["cpu"]))),
    memory: runs.map((run) => run.rows.map((row) => share(row.requested["memory"], row.allocatable["memory"]))),
    nodesInUse: runs.map((run) => run.rows.map((row) => row.nodesInUse)),
    unschedulable: runs.map((run) => run.rows.map((row) => row.unschedulable)),
  };
}

export function compareHtml(comparison: Comparison, firstSeedRuns: readonly CompareRun[]): string {
  const several = comparison.seeds.length > 1;
  const names = comparison.candidates.map((candidate) => candidate.name);
  const rows = comparison.figures.map((figure) => `<tr><td>${escapeHtml(figure.name)}</td>${names.map((name) => {
    const spread = figure.candidates[name] as Spread;
    const [least, most] = [cell(figure.kind, spread.min), cell(figure.kind, spread.max)];
    const range = several && least !== most ? ` <span class="range">[${escapeHtml(least)}–${escapeHtml(most)}]</span>` : "";
    return `<td>${escapeHtml(cell(figure.kind, spread.median))}${range}</td>`;
  }).join("")}</tr>`).join("");
  const title = `Timoneiro comparison: ${comparison.scenario}`;
  return `${pageStart(title, `table { border-collapse: collapse; } td, th { padding: 3px 14px 3px 0; text-align: right; } td:first-child, th:first-child { text-align: left; }
tr:nth-child(even) td { background: #f7f7f7; } .range { color: #777; font-size: 12px; } .caption { color: #555; }
.answer { font-size: 15px; background: #f4f6fa; border-left: 4px solid #4a78b5; padding: 8px 14px; }`)}<p>${escapeHtml(`${names.length} candidate(s); seed${several ? `s ${comparison.seeds.join(", ")}: each cell is the median over the seeds, [least–most] when they differ` : ` ${comparison.seeds[0]}`}. Every candidate ran the same scenario with the same seed: the same arrivals, durations and failures; only the placements differ.`)}</p>
<div class="answer" id="verdict">${comparisonVerdict(comparison).map((line) => `<p>${escapeHtml(line)}</p>`).join("")}</div>
<h2>Figures</h2>
<table id="figures"><tr><th>Figure</th>${names.map((name) => `<th>${escapeHtml(name)}</th>`).join("")}</tr>${rows}</table>
<h2>Over time${several ? ` (seed ${comparison.seeds[0]})` : ""}</h2>
<p class="caption">Each candidate's run on the same axes.</p>
<div id="pending"></div><div id="cpu"></div><div id="memory"></div><div id="nodes"></div><div id="attempts"></div>
${pageEnd("compare-data", overlaid(comparison, firstSeedRuns), PAGE_SCRIPT)}`;
}

const PAGE_SCRIPT = String.raw`
(function () {
  "use strict";
  var d = JSON.parse(document.getElementById("compare-data").textContent);
  var palette = TIMONEIRO.palette, duration = TIMONEIRO.duration;
  function chart(id, title, columns, yLabel) {
    var el = document.getElementById(id);
    var series = [{ label: "time", value: function (u, v) { return duration(v); } }];
    // Candidates that agree draw on top of each other: each has its own dash as well as its colour.
    var dashes = [[], [8, 4], [2, 3], [10, 3, 2, 3], [4, 4], [1, 5]];
    d.candidates.forEach(function (name, i) { series.push({ label: name, stroke: palette[i % palette.length], dash: dashes[i % dashes.length], width: 2, points: { show: false }, paths: uPlot.paths.stepped({ align: 1 }) }); });
    new uPlot({ title: title, width: Math.min(960, el.parentElement.clientWidth || 900), height: 220, series: series, scales: { x: { time: false } },
      axes: [{ incrs: TIMONEIRO.timeSteps, values: function (u, vals) { return vals.map(duration); } }, { label: yLabel, size: 60 }] },
      [d.t].concat(columns), el);
  }
  chart("pending", "Pending pods", d.pending, "pods");
  chart("cpu", "cpu requested / allocatable", d.cpu, "%");
  chart("memory", "memory requested / allocatable", d.memory, "%");
  chart("nodes", "Nodes in use", d.nodesInUse, "nodes");
  chart("attempts", "Failed scheduling attempts per interval", d.unschedulable, "attempts");
})();
`;
