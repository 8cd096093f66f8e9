/**
 * Timoneiro's library API: the pure engine. Nothing here does I/O or reads a clock, randomness
 * or the environment; `scenarios/` (loaders, the CLI) builds on it.
 */
export * from "./quantity/quantity.js";
export * from "./model/resources.js";
export * from "./model/pod.js";
export * from "./model/node.js";
export * from "./model/requests.js";
export * from "./model/duration.js";
export * from "./model/diagnostics.js";
export * from "./model/manifest.js";
export * from "./model/workloads.js";
export * from "./model/priority.js";
export type { FieldSchema } from "./model/schema.js";
export * from "./events/events.js";
export * from "./cluster/state.js";
export * from "./cluster/node-tree.js";
export * from "./cluster/queue-entry.js";
export * from "./cluster/rejections.js";
export * from "./cluster/created.js";
export * from "./cluster/invariants.js";
export * from "./scheduler/queue.js";
export * from "./scheduler/message.js";
export * from "./scheduler/firstfit.js";
export * from "./scheduler/plugins/noderesourcesfit/filter.js";
export * from "./scheduler/plugins/nodeunschedulable/index.js";
export * from "./engine/agenda.js";
export * from "./engine/scenario.js";
export * from "./engine/engine.js";
export * from "./controllers/controller.js";
export * from "./controllers/kubelet.js";
export * from "./log/jsonl.js";

/** The engine's version, written into every log header. */
export const ENGINE_VERSION = "0.1.0";
export * from "./scheduler/framework/types.js";
export * from "./scheduler/framework/normalize.js";
export * from "./scheduler/framework/sampling.js";
export * from "./scheduler/framework/tiebreak.js";
export * from "./scheduler/framework/nodetree.js";
export * from "./scheduler/framework/snapshot.js";
export * from "./scheduler/framework/schedule.js";
export * from "./scheduler/config/plugins.js";
export * from "./scheduler/config/ksc.js";
export * from "./scheduler/explain.js";
export * from "./scheduler/policies.js";
export * from "./scheduler/hints.js";
export * from "./scheduler/plugins/noderesourcesfit/index.js";
export * from "./scheduler/plugins/noderesourcesfit/score.js";
export * from "./scheduler/plugins/balancedallocation/index.js";
export * from "./scheduler/plugins/nodename/index.js";
export * from "./scheduler/plugins/tainttoleration/index.js";
export * from "./scheduler/plugins/nodeaffinity/index.js";
export * from "./scheduler/plugins/nodeports/index.js";
export * from "./scheduler/plugins/imagelocality/index.js";
export * from "./state/capacity-index.js";
export * from "./log/compact.js";
export * from "./fast/pvec.js";
export * from "./fast/state.js";
export * from "./fast/reduce.js";
export * from "./fast/decide.js";
export * from "./engine/backend.js";
export * from "./fast/history.js";
export * from "./fast/check.js";
