/**
 * PriorityClasses and kube's Priority admission plugin (plugin/pkg/admission/priority/
 * admission.go, v1.35): when a pod is created, its `priorityClassName` gives its priority (and the
 * class's preemption policy); a pod without one takes the class marked `globalDefault`, or 0 when
 * there is none. A class that does not exist, or a `spec.priority` that differs from the class's
 * value, refuses the pod (HTTP 403 Forbidden). The two system classes always exist.
 */
import type { Diagnostic } from "./diagnostics.js";
import type { Pod } from "./pod.js";
import { validateWorkload } from "./workloads.js";

export interface PriorityClass {
  readonly name: string;
  readonly value: number;
  readonly globalDefault: boolean;
  readonly preemptionPolicy: "PreemptLowerPriority" | "Never";
}

/** pkg/apis/scheduling: the classes every cluster has. */
export const SYSTEM_PRIORITY_CLASSES: readonly PriorityClass[] = [
  { name: "system-node-critical", value: 2_000_001_000, globalDefault: false, preemptionPolicy: "PreemptLowerPriority" },
  { name: "system-cluster-critical", value: 2_000_000_000, globalDefault: false, preemptionPolicy: "PreemptLowerPriority" },
];

/** A `scheduling.k8s.io/v1` PriorityClass manifest, validated as the API server does; undefined with errors. */
export function priorityClassFromManifest(object: Record<string, unknown>): { value: PriorityClass | undefined; diagnostics: readonly Diagnostic[] } {
  const diagnostics = validateWorkload("PriorityClass", object);
  if (diagnostics.some((item) => item.severity === "error")) return { value: undefined, diagnostics };
  const metadata = (object["metadata"] ?? {}) as Record<string, unknown>;
  return {
    value: {
      name: String(metadata["name"]),
      value: object["value"] as number,
      globalDefault: object["globalDefault"] === true,
      preemptionPolicy: object["preemptionPolicy"] === "Never" ? "Never" : "PreemptLowerPriority",
    },
    diagnostics,
  };
}

/** The classes a cluster holds: the system ones and those applied, by name. */
export class PriorityClasses {
  private readonly byName = new Map<string, PriorityClass>(SYSTEM_PRIORITY_CLASSES.map((item) => [item.name, item]));
  private globalDefault: PriorityClass | undefined;

  /**
   * Adds a class, or says why the API server refuses it: a second class of the same name, or a
   * second `globalDefault` (the Priority admission plugin's check on PriorityClasses).
   */
  add(item: PriorityClass): string | undefined {
    if (this.byName.has(item.name)) return `priorityclasses.scheduling.k8s.io ${JSON.stringify(item.name)} already exists`;
    if (item.globalDefault && this.globalDefault !== undefined) {
      return `PriorityClass ${this.globalDefault.name} is already marked as default. Only one default can exist`;
    }
    this.byName.set(item.name, item);
    if (item.globalDefault) this.globalDefault = item;
    return undefined;
  }

  /**
   * The pod as admitted: its priority from its class (or the global default's, or 0), or why
   * admission refuses it. `priorityGiven`: whether the manifest set `spec.priority` itself.
   */
  admit(pod: Pod, priorityGiven: boolean): { pod: Pod } | { error: string } {
    let name = pod.priorityClassName;
    let priority = 0;
    // With no class at all the policy is PreemptLowerPriority.
    let policy: PriorityClass["preemptionPolicy"] | undefined = "PreemptLowerPriority";
    if (name === undefined) {
      if (this.globalDefault !== undefined) {
        name = this.globalDefault.name;
        priority = this.globalDefault.value;
        policy = this.globalDefault.preemptionPolicy;
      }
    } else {
      const found = this.byName.get(name);
      if (found === undefined) return { error: `no PriorityClass with name ${name} was found` };
      priority = found.value;
      policy = found.preemptionPolicy;
    }
    if (priorityGiven && pod.priority !== priority) {
      return { error: `the integer value of priority (${pod.priority}) must not be provided in pod spec; priority admission controller computed ${priority} from the given PriorityClass name` };
    }
    if (pod.preemptionPolicy !== undefined && pod.preemptionPolicy !== policy) {
      return { error: `the string value of PreemptionPolicy (${pod.preemptionPolicy}) must not be provided in pod spec; priority admission controller computed ${policy} from the given PriorityClass name` };
    }
    // The class's policy is set on the pod (a class's own default, PreemptLowerPriority, is what an absent one means).
    const admittedPolicy = policy === "Never" ? "Never" : pod.preemptionPolicy;
    if (priority === pod.priority && name === pod.priorityClassName && admittedPolicy === pod.preemptionPolicy) return { pod };
    return { pod: { ...pod, priority, ...(name !== undefined ? { priorityClassName: name } : {}), ...(admittedPolicy !== undefined ? { preemptionPolicy: admittedPolicy } : {}) } };
  }
}
