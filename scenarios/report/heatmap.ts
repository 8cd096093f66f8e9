/**
 * The report's heat map of allocation per node over time, downsampled so that any run fits in a
 * page: at most `maxColumns` columns of simulated time and `maxRows` rows of nodes. A cell is the
 * time-weighted mean of a node's dominant share over the column's span (the part of it the node
 * was in the cluster); a row of several nodes (consecutive in join order) is the mean of the
 * cells its nodes have. Built once at the end from each node's trace (one pair per change), so
 * it costs the changes plus the cells, never a pass per tick.
 */
import type { NodeTrace } from "../metrics/metrics.js";

export interface Heatmap {
  /** Each column's span in seconds; column i covers [i·columnSeconds, (i+1)·columnSeconds). */
  readonly columnSeconds: number;
  readonly columns: number;
  /** Each row: the first and last node it stands for, how many, and a cell per column (percent, 0–100, rounded; -1 when none of its nodes was in the cluster). */
  readonly rows: readonly { readonly first: string; readonly last: string; readonly nodes: number; readonly cells: readonly number[] }[];
}

/**
 * One node's mean share per column over [0, end): `sums[i]` the share × seconds it spent in column
 * i, `present[i]` the seconds it was there.
 */
function columnMeans(trace: NodeTrace, end: number, width: number, columns: number): { sums: Float64Array; present: Float64Array } {
  const sums = new Float64Array(columns);
  const present = new Float64Array(columns);
  const gone = Math.min(trace.removed ?? end, end);
  for (let index = 0; index < trace.ticks.length; index++) {
    const from = trace.ticks[index] as number;
    const to = Math.min(index + 1 < trace.ticks.length ? (trace.ticks[index + 1] as number) : gone, gone);
    const share = trace.shares[index] as number;
    let t = from;
    while (t < to) {
      const column = Math.floor(t / width);
      const stop = Math.min(to, (column + 1) * width);
      sums[column] = (sums[column] as number) + share * (stop - t);
      present[column] = (present[column] as number) + (stop - t);
      t = stop;
    }
  }
  return { sums, present };
}

/** The heat map of the traces over [0, end) (the run's `until` + 1, as the metrics' last row). */
export function heatmap(traces: readonly NodeTrace[], end: number, maxColumns = 240, maxRows = 400): Heatmap {
  const columnSeconds = Math.max(1, Math.ceil(end / maxColumns));
  const columns = Math.max(1, Math.ceil(end / columnSeconds));
  const group = Math.max(1, Math.ceil(traces.length / maxRows));
  const rows: { first: string; last: string; nodes: number; cells: number[] }[] = [];
  for (let start = 0; start < traces.length; start += group) {
    const members = traces.slice(start, start + group);
    const total = new Float64Array(columns);
    const counted = new Float64Array(columns);
    for (const trace of members) {
      const { sums, present } = columnMeans(trace, end, columnSeconds, columns);
      for (let column = 0; column < columns; column++) {
        const seconds = present[column] as number;
        if (seconds === 0) continue;
        total[column] = (total[column] as number) + (sums[column] as number) / seconds;
        counted[column] = (counted[column] as number) + 1;
      }
    }
    const cells = Array.from(total, (sum, column) => ((counted[column] as number) === 0 ? -1 : Math.round((sum / (counted[column] as number)) * 100)));
    rows.push({ first: (members[0] as NodeTrace).name, last: (members[members.length - 1] as NodeTrace).name, nodes: members.length, cells });
  }
  return { columnSeconds, columns, rows };
}
