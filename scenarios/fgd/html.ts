/**
 * fgd.html: the FGD experiment as the paper draws it (its Figures 7–9): per policy, GPU
 * allocation and fragmentation against the arrived workload, ours solid and their simulator's
 * expected results dashed in the same colour; the table at 100% arrived. One self-contained file
 * as report.html (uPlot inlined, names escaped or shown as text).
 */
import { escapeHtml, pageEnd, pageStart } from "../report/html.js";
import type { FgdPolicyResult, FgdResult } from "./fgd.js";
import { fgdTable } from "./fgd.js";

function seriesOf(result: FgdResult): object {
  const xs = Array.from({ length: 131 }, (_, x) => x);
  const names = Object.keys(result.policies);
  const column = (pick: (policy: FgdPolicyResult, x: string) => number | undefined) => names.map((name) => xs.map((x) => pick(result.policies[name] as FgdPolicyResult, String(x)) ?? null));
  return {
    x: xs,
    policies: names,
    expected: names.map((name) => result.policies[name]?.expected !== undefined),
    allocation: column((policy, x) => policy.arrived[x]?.gpuAllocation),
    allocationTheirs: column((policy, x) => policy.expected?.[x]?.gpuAllocation),
    amount: column((policy, x) => policy.arrived[x]?.fragAmount),
    amountTheirs: column((policy, x) => policy.expected?.[x]?.fragAmount),
    ratio: column((policy, x) => policy.arrived[x]?.fragRatio),
    ratioTheirs: column((policy, x) => policy.expected?.[x]?.fragRatio),
  };
}

export function fgdHtml(result: FgdResult): string {
  const title = `Timoneiro: the FGD experiment (${result.nodes} nodes, ${result.gpus} GPUs)`;
  return `${pageStart(title, "pre { background: #f7f7f7; padding: 10px; overflow-x: auto; } .caption { color: #555; }")}<p>${escapeHtml(`${result.tracePods} trace pods shuffled with each seed, then clones drawn from the trace until ${Math.round(result.inflation * 100)}% of the cluster's GPUs is asked for; each pod tried once, in order; seeds ${result.seeds.join(", ")}. Each line is the median over the seeds; dashed: their simulator's expected results (median over seeds 42–51), where the trace is theirs.`)}</p>
<pre id="table">${escapeHtml(fgdTable(result).join("\n"))}</pre>
<h2>Against the arrived workload</h2>
<p class="caption">x: the GPU request submitted so far, % of the cluster's GPUs (failed pods included).</p>
<div id="allocation"></div><div id="amount"></div><div id="ratio"></div>
${pageEnd("fgd-data", seriesOf(result), PAGE_SCRIPT)}`;
}

const PAGE_SCRIPT = String.raw`
(function () {
  "use strict";
  var d = JSON.parse(document.getElementById("fgd-data").textContent);
  var palette = TIMONEIRO.palette;
  function chart(id, title, ours, theirs, yLabel) {
    var el = document.getElementById(id);
    var series = [{ label: "arrived %" }];
    var columns = [];
    d.policies.forEach(function (name, i) {
      series.push({ label: name, stroke: palette[i % palette.length], width: 2, points: { show: false } });
      columns.push(ours[i]);
    });
    d.policies.forEach(function (name, i) {
      if (!d.expected[i]) return;
      series.push({ label: name + " (theirs)", stroke: palette[i % palette.length], dash: [6, 4], width: 1, points: { show: false } });
      columns.push(theirs[i]);
    });
    new uPlot({ title: title, width: Math.min(960, el.parentElement.clientWidth || 900), height: 300, series: series, scales: { x: { time: false } },
      axes: [{ label: "arrived workload, % of the GPUs" }, { label: yLabel, size: 60 }] }, [d.x].concat(columns), el);
  }
  chart("allocation", "GPU allocation", d.allocation, d.allocationTheirs, "% of the GPUs");
  chart("amount", "Fragmentation", d.amount, d.amountTheirs, "% of the GPUs");
  chart("ratio", "Fragmentation / idle GPU", d.ratio, d.ratioTheirs, "% of idle");
})();
`;
