/**
 * A run's summary: what `run` prints, `run -o json` and `summary.json` hold, and the report's
 * header shows — the whole run's figures (`RunTotals`, kept from the events as they came) with
 * the run's identity (scenario, seed, scheduler, engine). Worked out from the events alone, so a
 * run and `timoneiro report LOG` give the same document byte for byte.
 */
import { resourceAmount } from "../../core/index.js";
import { formatAmount, formatTick } from "../cli/format.js";
import { LATENCY_BUCKETS, type RunTotals } from "./metrics.js";

/** Who ran what: read from the run's options, or from the log's header. */
export interface RunIdentity {
  readonly scenario: string;
  readonly seed: number;
  readonly scheduler: string;
  readonly engine: string;
  /** RFC 3339, the wall-clock time of tick 0. */
  readonly startTime: string;
  readonly events: number;
}

export interface RunSummary extends RunTotals {
  readonly run: RunIdentity;
  /** The metrics' interval, seconds. */
  readonly intervalSeconds: number;
}

/** Fractions and means kept to 4 decimals (a summary is for reading; the metrics keep the rest). */
function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

export function runSummary(run: RunIdentity, intervalSeconds: number, totals: RunTotals): RunSummary {
  return {
    run,
    intervalSeconds,
    ...totals,
    pending: { ...totals.pending, mean: round(totals.pending.mean) },
    latency: { ...totals.latency, mean: totals.latency.mean === null ? null : round(totals.latency.mean) },
    allocation: Object.fromEntries(Object.entries(totals.allocation).map(([name, figures]) => [name, { ...figures, meanRequested: round(figures.meanRequested), meanAllocatable: round(figures.meanAllocatable), peakShare: round(figures.peakShare) }])),
    fragmentation: Object.fromEntries(Object.entries(totals.fragmentation).map(([name, value]) => [name, round(value)])),
    nodes: { ...totals.nodes, meanInUse: round(totals.nodes.meanInUse) },
  };
}

/** summary.json's text. */
export function summaryJson(summary: RunSummary): string {
  return JSON.stringify(summary, null, 2) + "\n";
}

function percent(share: number): string {
  return `${Math.round(share * 1000) / 10}%`;
}

function spans(list: readonly (readonly [number, number])[]): string {
  if (list.length === 0) return "never";
  const total = list.reduce((sum, [from, to]) => sum + (to - from), 0);
  const shown = list.slice(0, 4).map(([from, to]) => `${formatTick(from)}–${formatTick(to)}`).join(", ");
  return `${shown}${list.length > 4 ? `, … (${list.length} intervals)` : ""} (${formatTick(total)} in all)`;
}

function counted(counts: Readonly<Record<string, number>>, limit: number): string {
  const entries = Object.entries(counts);
  const shown = entries.slice(0, limit).map(([name, count]) => `${name} (${count.toLocaleString("en-US")})`).join(", ");
  return entries.length > limit ? `${shown}, and ${entries.length - limit} more` : shown;
}

function latency(seconds: number | null): string {
  return seconds === null ? "-" : formatTick(seconds);
}

/**
 * A mean amount for reading: cpu below a core in millicores (`700m`), above in cores to three
 * significant figures (`4.16`); other amounts exact as the CLI writes them when short (`512M`,
 * `4Gi`), else to three significant figures, bytes in Ki/Mi/Gi/Ti (`6.45Gi`).
 */
export function approximateAmount(name: string, value: number): string {
  if (name === "pods") return String(Math.round(value * 10) / 10);
  if (value === 0) return "0";
  if (name === "cpu" && value < 1000) return `${Math.round(value)}m`;
  const exact = formatAmount(name, Math.round(value));
  if (exact.length <= 6 && !exact.endsWith("m")) return exact;
  const three = (number: number) => String(Number(number.toPrecision(3)));
  if (name === "cpu") return three(value / 1000);
  if (name === "memory" || name === "ephemeral-storage" || name.startsWith("hugepages-")) {
    const units = ["", "Ki", "Mi", "Gi", "Ti", "Pi"];
    let scaled = value;
    let unit = 0;
    while (scaled >= 1024 && unit < units.length - 1) {
      scaled /= 1024;
      unit++;
    }
    return `${three(scaled)}${units[unit] as string}`;
  }
  return three(value);
}

/**
 * A mean amount in the summary: approximateAmount, pods whole from a thousand on, and a whole
 * number of four digits or more with its thousands separated (`28,698 of 1,372,225` pods,
 * `48,600 of 211,000` cpu).
 */
export function summaryAmount(name: string, value: number): string {
  const text = approximateAmount(name, name === "pods" && value >= 1000 ? Math.round(value) : value);
  return /^\d{4,}$/.test(text) ? Number(text).toLocaleString("en-US") : text;
}

const amount = summaryAmount;

/** How many shapes the summary's lower bound names; summary.json has them all. */
const SHAPES_SHOWN = 3;

/**
 * The lower bound in words: per node shape, the fewest nodes of it alone that could hold the
 * requests at their peak (a perfect packing), the smallest first, memory in binary units to three
 * figures; shapes lacking a resource the pods asked for are counted apart. Undefined without shapes.
 * Example: "at the peak of requests, a cluster of one shape needs at least 2 × cpu=8/memory=32Gi/pods=110,
 * or 5 × cpu=4/memory=8Gi/pods=110".
 */
export function lowerBoundLine(bounds: RunSummary["lowerBound"]): string | undefined {
  const entries = Object.entries(bounds);
  if (entries.length === 0) return undefined;
  const finite = entries.filter(([, bound]) => Number.isFinite(bound.peak)).sort(([a, x], [b, y]) => x.peak - y.peak || (a < b ? -1 : a > b ? 1 : 0));
  const shown = finite.slice(0, SHAPES_SHOWN).map(([shape, bound]) => `${bound.peak.toLocaleString("en-US")} × ${readableShape(shape)}`);
  const more = finite.length - shown.length;
  const lacking = entries.length - finite.length;
  const notes = [
    ...(more > 0 ? [`${more} more shape(s) in summary.json`] : []),
    ...(lacking > 0 ? [`${lacking} shape(s) lack a resource the pods ask for`] : []),
  ];
  const head = shown.length === 0 ? "no shape seen can hold the pods' requests" : `at the peak of requests, ${entries.length === 1 ? "the pods need at least" : "a cluster of one shape needs at least"} ${shown.join(", or ")}`;
  return `${head}${notes.length > 0 ? ` (${notes.join("; ")})` : ""}`;
}

/**
 * A shape's key (`cpu=16/memory=102941776151/pods=110`, exact) with each amount as a person reads
 * it (`memory=95.9Gi`). Resource names may hold a slash (`nvidia.com/gpu=4`), amounts never do:
 * a part runs from its name to the first `=`, and its amount to the next slash.
 */
function readableShape(shape: string): string {
  return [...shape.matchAll(/([^=]+?)=([^/]*)(?:\/|$)/g)]
    .map(([, name = "", amount = ""]) => `${name}=${approximateAmount(name, resourceAmount(name, amount))}`)
    .join("/");
}

/** The summary for a person: what `run` prints at the end. */
export function formatSummary(summary: RunSummary): string[] {
  const end = formatTick(summary.until);
  const pods = summary.pods;
  const atEnd = Object.entries(pods.atEnd).filter(([, count]) => count > 0).map(([phase, count]) => `${count.toLocaleString("en-US")} ${phase[0]?.toUpperCase()}${phase.slice(1)}`).join(", ") || "none";
  const lines = [`Summary (0s–${end}):`];
  const put = (key: string, value: string) => lines.push(`  ${(key + ":").padEnd(15)}${value}`);
  const starved = Object.keys(summary.attempts.byReason).filter((reason) => reason.startsWith("Insufficient ") || reason === "Too many pods");
  put("Capacity", summary.unschedulable.length === 0
    ? "enough: no pod waited after a failed scheduling attempt"
    : starved.length > 0
      ? `short for ${starved.map((reason) => reason.replace("Insufficient ", "")).join(", ")}: pods waited for a node ${spans(summary.unschedulable)}`
      : `pods waited for a node ${spans(summary.unschedulable)}, for reasons other than capacity`);
  put("Pods", `${pods.created.toLocaleString("en-US")} created, ${pods.bound.toLocaleString("en-US")} bound, ${pods.succeeded.toLocaleString("en-US")} succeeded, ${pods.failed.toLocaleString("en-US")} failed, ${pods.deleted.toLocaleString("en-US")} deleted; at ${end}: ${atEnd}`);
  const waiting = summary.waitingAtEnd;
  if (waiting.pods > 0) {
    const reasons = counted(waiting.byReason, 3);
    const untried = waiting.untried > 0 ? `${waiting.untried.toLocaleString("en-US")} not tried yet (gated or backing off)` : "";
    put("Still pending", `${waiting.pods.toLocaleString("en-US")} pod(s) at ${end}: ${[reasons, untried].filter((part) => part !== "").join("; ")}`);
  }
  put("Pending", `peak ${summary.pending.peak.toLocaleString("en-US")} at ${formatTick(summary.pending.peakAt)}, mean ${Math.round(summary.pending.mean * 100) / 100}`);
  const attempts = summary.attempts;
  put("Scheduling", `${attempts.bound.toLocaleString("en-US")} bound, ${attempts.unschedulable.toLocaleString("en-US")} failed attempt(s)${attempts.unschedulable > 0 ? `: ${counted(attempts.byReason, 3)}` : ""}`);
  put("Latency", summary.latency.pods === 0 ? "no pod bound" : `creation → bound over ${summary.latency.pods.toLocaleString("en-US")} pod(s): p50 ${latency(summary.latency.p50)}, p90 ${latency(summary.latency.p90)}, p99 ${latency(summary.latency.p99)}, max ${latency(summary.latency.max)}`);
  const resources = Object.entries(summary.allocation);
  resources.forEach(([name, figures], index) => {
    const mean = figures.meanAllocatable > 0 ? figures.meanRequested / figures.meanAllocatable : 0;
    const text = `${name.padEnd(8)} mean ${percent(mean)} (${amount(name, figures.meanRequested)} of ${amount(name, figures.meanAllocatable)}), peak ${percent(figures.peakShare)} at ${formatTick(figures.peakAt)}`;
    if (index === 0) put("Allocation", text);
    else lines.push(`  ${"".padEnd(15)}${text}`);
  });
  const stranded = Object.entries(summary.fragmentation);
  if (stranded.length > 0) put("Stranded", `${stranded.map(([name, value]) => `${name} ${amount(name, value)}`).join(", ")} on average (free, on nodes too full for the median pod)`);
  const figure = (value: number) => value.toLocaleString("en-US", { maximumFractionDigits: 1 });
  put("Nodes", `${figure(summary.nodes.atEnd)} at ${end} (peak ${figure(summary.nodes.peak)}); in use: peak ${figure(summary.nodes.peakInUse)} at ${formatTick(summary.nodes.peakInUseAt)}, mean ${figure(summary.nodes.meanInUse)}`);
  const bound = lowerBoundLine(summary.lowerBound);
  if (bound !== undefined) put("Lower bound", bound);
  const evictions = Object.entries(summary.evictions);
  put("Disruptions", `${summary.restarts.toLocaleString("en-US")} restart(s), ${summary.oomKills.toLocaleString("en-US")} OOM kill(s), ` +
    (evictions.length === 0 ? "no eviction" : `evictions: ${evictions.map(([reason, count]) => `${reason} ${count}`).join(", ")}`));
  // Services with a gap get a line each; the rest are named together.
  const services = Object.entries(summary.services);
  const short = services.filter(([, service]) => service.noEndpoint.length > 0 || service.belowDesired.length > 0);
  const fine = services.filter(([, service]) => service.noEndpoint.length === 0 && service.belowDesired.length === 0).map(([name]) => name);
  const sameSpans = (a: readonly (readonly [number, number])[], b: readonly (readonly [number, number])[]) => a.length === b.length && a.every(([from, to], index) => from === b[index]?.[0] && to === b[index]?.[1]);
  const serviceLines = short.map(([name, service]) => {
    if (service.desired === undefined) return `${name}: ${service.ready} ready at ${end}, no workload selected; no ready endpoint ${spans(service.noEndpoint)}`;
    const gaps = sameSpans(service.belowDesired, service.noEndpoint)
      ? `none ready ${spans(service.noEndpoint)}`
      : `fewer than ${service.desired} ready ${spans(service.belowDesired)}; none ready ${spans(service.noEndpoint)}`;
    return `${name}: ${service.ready}/${service.desired} ready at ${end}; ${gaps}`;
  });
  if (fine.length > 0) {
    const who = fine.length === services.length ? "every one" : `${fine.length} other(s)`;
    serviceLines.push(`${who} always had every desired pod ready: ${fine.slice(0, 6).join(", ")}${fine.length > 6 ? `, and ${fine.length - 6} more` : ""}`);
  }
  serviceLines.forEach((text, index) => {
    if (index === 0) put("Services", text);
    else lines.push(`  ${"".padEnd(15)}${text}`);
  });
  return lines;
}

/** The latency histogram's bucket labels: `0s`, `≤1s`, …, `>1h`. */
export function latencyBucketLabels(): string[] {
  return [...LATENCY_BUCKETS.map((bound) => (bound === 0 ? "0s" : `≤${formatTick(bound)}`)), `>${formatTick(LATENCY_BUCKETS[LATENCY_BUCKETS.length - 1] as number)}`];
}
