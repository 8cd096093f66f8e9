/**
 * One run of `timoneiro bench fgd` (a policy and a seed), in a worker thread: reads the trace
 * (once per thread), runs the experiment and hands back its figures by arrived percentage and
 * the time the experiment itself took (the trace's reading is not counted).
 */
import { fgdByArrived, runFgdExperiment, type FgdPoint, type GpuPolicy } from "../../core/index.js";
import { readOpenbNodes, readOpenbPods } from "../loaders/traces/openb.js";

export interface FgdTask {
  readonly nodes: { readonly path: string; readonly file: string };
  readonly pods: { readonly path: string; readonly file: string };
  readonly policy: GpuPolicy;
  readonly seed: number;
  readonly inflation: number;
}

export interface FgdTaskResult {
  readonly policy: GpuPolicy;
  readonly seed: number;
  readonly seconds: number;
  readonly pods: number;
  readonly failed: number;
  /** Arrived % → the figures there. */
  readonly arrived: Readonly<Record<string, FgdPoint>>;
}

const traces = new Map<string, Promise<unknown>>();

function once<T>(key: string, read: () => Promise<T>): Promise<T> {
  let value = traces.get(key);
  if (value === undefined) traces.set(key, (value = read()));
  return value as Promise<T>;
}

export default async function run(task: FgdTask): Promise<FgdTaskResult> {
  const nodes = await once(`nodes:${task.nodes.path}`, () => readOpenbNodes(task.nodes.path, task.nodes.file));
  const pods = await once(`pods:${task.pods.path}`, () => readOpenbPods(task.pods.path, task.pods.file));
  const started = performance.now();
  const result = runFgdExperiment(nodes, pods, { policy: task.policy, seed: task.seed, inflation: task.inflation });
  const seconds = (performance.now() - started) / 1000;
  return { policy: task.policy, seed: task.seed, seconds, pods: result.pods, failed: result.failed, arrived: Object.fromEntries(fgdByArrived(result)) };
}
