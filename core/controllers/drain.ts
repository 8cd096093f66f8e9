/**
 * kubectl drain (kubectl v1.35 pkg/drain/drain.go, filters.go; pkg/cmd/drain/drain.go), the
 * timeline's `drain` action: cordon, then evict each pod of the node through the Eviction API
 * (disruption.ts `evictPod`), retrying a refused one every 5 s, and wait until each is gone.
 *
 * | rule | as kubectl does it |
 * |------|--------------------|
 * | defaults | `timeout` 0 (no limit), `force` false, `ignoreDaemonSets` false, `deleteEmptyDirData` false, `gracePeriodSeconds` −1 (each pod's own) |
 * | which pods | those on the node; each goes through the filters in order, the first that refuses decides |
 * | a DaemonSet's pod | refused unless `ignoreDaemonSets` ("cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore)"); with it, left where it is, with the warning "ignoring DaemonSet-managed Pods" |
 * | a pod with an `emptyDir` volume | refused unless `deleteEmptyDirData` ("cannot delete Pods with local storage (use --delete-emptydir-data to override)"); with it, the warning "deleting Pods with local storage" |
 * | a pod without a controller | refused unless `force`; with it, the warning "deleting Pods that declare no controller". v1.35's message says "cannot delete" twice ("cannot delete cannot delete Pods that declare no controller (use --force to override)": fixed in v1.36), as here |
 * | any pod refused | nothing is evicted; the errors, one per message: "cannot delete MESSAGE: ns/pod, ns/pod" |
 * | 429 (a PodDisruptionBudget) | `error when evicting pods/"NAME" -n "NS" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.`, tried again 5 s later |
 * | 500 (two budgets) | `error when evicting pods/"NAME" -n "NS": This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.`, not tried again |
 * | `timeout` | a pod still refused when it runs out: `error when evicting pods/"NAME" -n "NS": global timeout reached: 2m0s`; one evicted but not gone: `error when waiting for pod "NAME" in namespace "NS" to terminate: context deadline exceeded` |
 * | done | every pod evicted is gone: `node/NAME drained` |
 *
 * Here the drain's start and end are events (`NodeDrainStarted`, `NodeDrainFinished`) and each
 * refusal is one (`PodEvictionRefused`), so the log shows what blocked it. Only pods that hold
 * their place on the node are drained (a finished pod there is already free).
 */
import type { PodState } from "../cluster/state.js";
import { controllerReference } from "../cluster/objects.js";
import type { PodKey } from "../model/pod.js";
import type { WorkloadReader } from "./controller.js";

export interface DrainOptions {
  /** Seconds; 0 or unset: no limit. */
  readonly timeoutSeconds?: number;
  readonly force: boolean;
  readonly ignoreDaemonSets: boolean;
  readonly deleteEmptyDirData: boolean;
  /** The eviction's grace period; unset: each pod's own. */
  readonly gracePeriodSeconds?: number;
}

export const DEFAULT_DRAIN: DrainOptions = Object.freeze({ force: false, ignoreDaemonSets: false, deleteEmptyDirData: false });

/** kubectl's `EvictErrorRetryDelay`. */
export const EVICTION_RETRY_SECONDS = 5;

const DAEMONSET_FATAL = "DaemonSet-managed Pods (use --ignore-daemonsets to ignore)";
const DAEMONSET_WARNING = "ignoring DaemonSet-managed Pods";
const LOCAL_STORAGE_FATAL = "Pods with local storage (use --delete-emptydir-data to override)";
const LOCAL_STORAGE_WARNING = "deleting Pods with local storage";
// v1.35's constant already begins with "cannot delete", and errors() adds it again.
const UNMANAGED_FATAL = "cannot delete Pods that declare no controller (use --force to override)";
const UNMANAGED_WARNING = "deleting Pods that declare no controller";

export interface DrainPlan {
  /** The pods to evict, in name order. */
  readonly evict: readonly PodKey[];
  /** kubectl's errors, one per message; when any, nothing is evicted. */
  readonly errors: readonly string[];
  /** kubectl's warnings, joined as it prints them ("MESSAGE: ns/pod; MESSAGE: ns/pod"), or "". */
  readonly warning: string;
}

/** `GetPodsForDeletion`: the filters over the node's pods. */
export function planDrain(reader: WorkloadReader, node: string, options: DrainOptions): DrainPlan {
  const pods = (reader.node(node)?.pods ?? []).map((key) => [key, reader.pod(key)] as const).filter((entry): entry is readonly [PodKey, PodState] => entry[1] !== undefined);
  const evict: PodKey[] = [];
  const errors = new Map<string, PodKey[]>();
  const warnings = new Map<string, PodKey[]>();
  const add = (map: Map<string, PodKey[]>, message: string, key: PodKey) => map.set(message, [...(map.get(message) ?? []), key]);
  for (const [key, pod] of pods) {
    const terminal = pod.phase === "Succeeded" || pod.phase === "Failed";
    const reference = controllerReference(pod.pod.ownerReferences);
    if (!terminal && reference?.kind === "DaemonSet") {
      const exists = reader.object(`DaemonSet/${pod.pod.namespace}/${reference.name}`) !== undefined;
      if (!exists && options.force) add(warnings, `daemonsets.apps ${JSON.stringify(reference.name)} not found`, key);
      else if (!exists) {
        add(errors, `daemonsets.apps ${JSON.stringify(reference.name)} not found`, key);
        continue;
      } else if (!options.ignoreDaemonSets) {
        add(errors, DAEMONSET_FATAL, key);
        continue;
      } else {
        add(warnings, DAEMONSET_WARNING, key);
        continue;
      }
    }
    if (!terminal && pod.pod.emptyDir === true) {
      if (!options.deleteEmptyDirData) {
        add(errors, LOCAL_STORAGE_FATAL, key);
        continue;
      }
      add(warnings, LOCAL_STORAGE_WARNING, key);
    }
    if (!terminal && reference === undefined) {
      if (!options.force) {
        add(errors, UNMANAGED_FATAL, key);
        continue;
      }
      add(warnings, UNMANAGED_WARNING, key);
    }
    evict.push(key);
  }
  return {
    evict,
    errors: [...errors].map(([message, keys]) => `cannot delete ${message}: ${keys.join(", ")}`),
    warning: [...warnings].map(([message, keys]) => `${message}: ${keys.join(", ")}`).join("; "),
  };
}

/** `pods/"NAME" -n "NS"` as kubectl names a pod in its eviction errors. */
export function evictionSubject(key: PodKey): string {
  const slash = key.indexOf("/");
  return `pods/${JSON.stringify(key.slice(slash + 1))} -n ${JSON.stringify(key.slice(0, slash))}`;
}

/** Go's time.Duration printing for whole seconds: 30s, 2m0s, 1h0m0s. */
export function goDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}
