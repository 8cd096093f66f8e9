/**
 * GPU sharing as a scheduler's plugins: the FGD paper's simulator's (hkust-adsl/
 * kubernetes-scheduler-simulator, pkg/simulator/plugin/), bundled with Timoneiro and enabled by
 * name in a KubeSchedulerConfiguration like any plugin (they are not kube's own: a profile without
 * them places GPU pods by the node's milli-GPU in all, NodeResourcesFit's view).
 *
 * - `Open-Gpu-Share` (Filter, Reserve; open_gpu_share.go): a pod asking for GPUs
 *   (core/gpu/model.ts `gpuRequestOf`) fits a node with cards of a model it accepts and room on
 *   them — one card with its milli idle, or k whole free cards (`cardsFit`). Theirs rejects a
 *   node with `Node:<name>`, which kube's FailedScheduling message would list once per node; ours
 *   says why, once per cause (`node(s) had no GPU`, `node(s) didn't have the GPU model the pod
 *   accepts`, `node(s) didn't have a GPU card with enough milli-GPU free`, `node(s) didn't have
 *   enough free GPU cards`), so the message counts nodes as kube's own reasons do. At Reserve it
 *   picks the cards: the tightest card for a share,
 *   the lowest free ones for whole GPUs (their `best` selection) — the engine writes them into
 *   `PodBound.gpus`, and the node's cards are the sum of its pods' from then on.
 * - `BestFitScore`, `DotProductScore`, `GpuClusteringScore`, `GpuPackingScore` (Score): the scores
 *   of core/gpu/policies.ts on the node's state (cpu left, each card's idle milli, its GPU pods by
 *   kind); BestFitScore rescales the feasible nodes' scores to 0–100 (their NormalizeScore).
 *
 * - `FGDScore` (Score; fgd_score.go): ⌊100 × sigmoid((F(n) − F(n with the pod)) / 1000)⌋ against
 *   the typical pods its args name (`typicalPods`, which `timoneiro bench fgd --typical-pods`
 *   prints for a trace); Open-Gpu-Share with `gpuSelMethod: FGDScore` then picks a share's card
 *   as FGD does (their FGD runs).
 *
 * RandomScore is not bundled: it draws from a source a plugin has not. `timoneiro bench fgd` runs
 * all six policies (core/gpu/experiment.ts).
 */
import { acceptsModel, nodeFragAmount, type TypicalPod } from "../../../gpu/frag.js";
import { gpuNodeOf, gpuRequestOf, idleCards, MILLI_PER_GPU, type GpuRequest } from "../../../gpu/model.js";
import { bestFitScore, cardsFit, dotProductScore, fgdScore, freeCards, gpuAffinityTag, gpuClusteringScore, gpuPackingScore, tightestCard, type GpuNodeWithPods } from "../../../gpu/policies.js";
import { SUCCESS, unschedulable, unresolvable, type CycleState, type NodeInfo, type Plugin, type ReservePlugin, type ReserveResult, type Status } from "../../framework/types.js";

export const OPEN_GPU_SHARE = "Open-Gpu-Share";
export const NO_GPU = "node(s) had no GPU";
export const WRONG_MODEL = "node(s) didn't have the GPU model the pod accepts";
export const NO_CARD_ROOM = "node(s) didn't have a GPU card with enough milli-GPU free";
export const NO_FREE_CARDS = "node(s) didn't have enough free GPU cards";

/** The pod's GPU request, or undefined without one; a malformed annotation is a problem. */
function requestOf(cycle: CycleState): GpuRequest | { readonly problem: string } | undefined {
  return gpuRequestOf(cycle.pod);
}

/**
 * Each NodeInfo's GPU state, read once. A NodeInfo is the node as the pods holding resources on it
 * are: the fast engine keeps one per unchanged node record (a binding or a release makes a new
 * record), preemption's dry runs and the reference engine make new ones — so a state read from one
 * stays true for as long as it is asked about.
 */
const STATES = new WeakMap<NodeInfo, GpuNodeWithPods>();

/** The node's GPU state as the policies read it, from the node and the pods on it (the GPU pods by kind only if a policy asks). */
export function gpuNodeState(node: NodeInfo): GpuNodeWithPods {
  const known = STATES.get(node);
  if (known !== undefined) return known;
  const state = readGpuNodeState(node);
  STATES.set(node, state);
  return state;
}

function readGpuNodeState(node: NodeInfo): GpuNodeWithPods {
  const pods = node.pods ?? [];
  let affinity: Map<string, number> | undefined;
  return {
    cpuLeft: (node.node.allocatable["cpu"] ?? 0) - (node.requested["cpu"] ?? 0),
    cards: idleCards(node.node, pods),
    model: gpuNodeOf(node.node).model,
    get affinity(): Map<string, number> {
      if (affinity !== undefined) return affinity;
      affinity = new Map();
      for (const { pod } of pods) {
        const request = gpuRequestOf(pod);
        if (request === undefined || "problem" in request) continue;
        const tag = gpuAffinityTag({ cpuMilli: 0, ...request });
        affinity.set(tag, (affinity.get(tag) ?? 0) + 1);
      }
      return affinity;
    },
  };
}

function gpuOnly(request: GpuRequest | { readonly problem: string } | undefined): GpuRequest | undefined {
  return request === undefined || "problem" in request ? undefined : request;
}

function shapeOf(cycle: CycleState, request: GpuRequest | undefined) {
  return { cpuMilli: cycle.request["cpu"] ?? 0, gpuCount: request?.gpuCount ?? 0, gpuMilli: request?.gpuMilli ?? 0, gpuModels: request?.gpuModels ?? [] };
}

/** The bundled plugins' arguments (pluginConfig): Open-Gpu-Share's card choice, FGDScore's typical pods. */
export interface GpuPluginArgs {
  /** Their `gpuSelMethod`: the tightest card (`best`), or FGD's (`FGDScore`, with the typical pods). */
  readonly selection: "best" | "FGDScore";
  /** FGDScore's `typicalPods`: the workload's pod shapes and shares, which fragmentation is measured against. */
  readonly typical?: readonly TypicalPod[];
}

export const DEFAULT_GPU_ARGS: GpuPluginArgs = { selection: "best" };

/** Open-Gpu-Share: Filter and Reserve (with `FGDScore` selection, the card FGD scores best). */
export function newOpenGpuShare(args: GpuPluginArgs = DEFAULT_GPU_ARGS): Plugin & ReservePlugin {
  const fgd = args.selection === "FGDScore" && args.typical !== undefined ? fgdOnNodes(args.typical) : undefined;
  return {
    name: OPEN_GPU_SHARE,
    filter(cycle: CycleState, node: NodeInfo): Status {
      const request = requestOf(cycle);
      if (request === undefined) return SUCCESS;
      if ("problem" in request) return unresolvable(request.problem);
      // The cheap refusals first: no cards, or not a model the pod accepts; then the cards, from the pods here.
      const { count, model } = gpuNodeOf(node.node);
      if (count === 0) return unresolvable(NO_GPU);
      if (!acceptsModel(request.gpuModels, model)) return unresolvable(WRONG_MODEL);
      if (cardsFit(gpuNodeState(node), shapeOf(cycle, request))) return SUCCESS;
      return unschedulable(request.gpuCount === 1 && request.gpuMilli < MILLI_PER_GPU ? NO_CARD_ROOM : NO_FREE_CARDS);
    },
    reserve(cycle: CycleState, node: NodeInfo): ReserveResult {
      const request = requestOf(cycle);
      if (request === undefined || "problem" in request) return {};
      const cards = gpuNodeState(node).cards;
      if (request.gpuCount === 1 && request.gpuMilli < 1000) {
        if (fgd !== undefined) {
          const chosen = fgd(node, shapeOf(cycle, request)).cards;
          return chosen.length === 0 ? {} : { gpus: chosen };
        }
        const card = tightestCard(cards, request.gpuMilli);
        return card < 0 ? {} : { gpus: [card] };
      }
      const whole = freeCards(cards, request.gpuCount);
      return whole === undefined ? {} : { gpus: whole };
    },
  };
}

/**
 * FGD on NodeInfos against `typical`: the score and cards for a pod shape, kept per NodeInfo (see
 * STATES) and shape, with the node's fragmentation before the pod read once per NodeInfo.
 */
function fgdOnNodes(typical: readonly TypicalPod[]): (node: NodeInfo, shape: ReturnType<typeof shapeOf>) => { score: number; cards: number[] } {
  const before = new WeakMap<NodeInfo, number>();
  const scored = new WeakMap<NodeInfo, Map<string, { score: number; cards: number[] }>>();
  return (node, shape) => {
    let byShape = scored.get(node);
    if (byShape === undefined) scored.set(node, (byShape = new Map()));
    const key = `${shape.cpuMilli}/${shape.gpuMilli}/${shape.gpuCount}/${shape.gpuModels.join("|")}`;
    const known = byShape.get(key);
    if (known !== undefined) return known;
    const state = gpuNodeState(node);
    let fragment = before.get(node);
    if (fragment === undefined) before.set(node, (fragment = nodeFragAmount(state, typical)));
    const result = fgdScore(state, shape, typical, fragment);
    byShape.set(key, result);
    return result;
  };
}

/** A score plugin of a GPU policy. */
function scorePlugin(name: string, score: (state: GpuNodeWithPods, shape: ReturnType<typeof shapeOf>) => number, normalize = false): Plugin {
  return {
    name,
    score(cycle: CycleState, node: NodeInfo): number {
      const request = requestOf(cycle);
      const shape = shapeOf(cycle, request === undefined || "problem" in request ? undefined : request);
      return score(gpuNodeState(node), shape);
    },
    ...(normalize
      ? {
          // Their NormalizeScore (plugin_utils.go): (score − lowest) × 100 / (highest − lowest), all 0 when equal.
          normalizeScore(_cycle: CycleState, _nodes: readonly NodeInfo[], scores: number[]): void {
            const highest = Math.max(...scores);
            const lowest = Math.min(...scores);
            for (let i = 0; i < scores.length; i++) scores[i] = highest === lowest ? 0 : Math.trunc((((scores[i] as number) - lowest) * 100) / (highest - lowest));
          },
        }
      : {}),
  };
}

/** The bundled GPU plugins by name, each a fresh object built with `args`. */
export function bundledGpuPlugins(args: GpuPluginArgs = DEFAULT_GPU_ARGS): ReadonlyMap<string, Plugin> {
  const fgd = fgdOnNodes(args.typical ?? []);
  const plugins: Plugin[] = [
    newOpenGpuShare(args),
    scorePlugin("BestFitScore", bestFitScore, true),
    scorePlugin("DotProductScore", dotProductScore),
    scorePlugin("GpuClusteringScore", gpuClusteringScore),
    scorePlugin("GpuPackingScore", gpuPackingScore),
    { name: FGD_SCORE, score: (cycle: CycleState, node: NodeInfo): number => fgd(node, shapeOf(cycle, gpuOnly(requestOf(cycle)))).score },
  ];
  return new Map(plugins.map((plugin) => [plugin.name, plugin]));
}

export const FGD_SCORE = "FGDScore";

/** The names of the bundled GPU plugins. */
export const BUNDLED_GPU_PLUGINS: readonly string[] = [...bundledGpuPlugins().keys()];
