/**
 * The exported manifest arbitraries: every document they make loads with no diagnostic at all
 * under strict validation (valid by construction), the knobs hold, and a failing property
 * shrinks to a small cluster.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { loadScenarioText } from "../scenarios/loaders/scenario.js";
import { cpuQuantityArbitrary, memoryQuantityArbitrary, scenarioDocumentArbitrary, type Manifest } from "./manifests.js";
import { cpuMillis, memoryBytes, runScenario } from "../core/index.js";

const RUNS = Number(process.env["TIMONEIRO_PROPERTY_RUNS"] ?? 200);

function load(document: Manifest) {
  return loadScenarioText(stringify(document, { aliasDuplicateObjects: false }), "generated.yaml", { validate: "strict" });
}

describe("manifest arbitraries", () => {
  it("make scenario documents that load with no diagnostic, strict", () => {
    fc.assert(fc.property(scenarioDocumentArbitrary(), (document) => {
      const loaded = load(document);
      expect(loaded.diagnostics).toEqual([]);
      expect(loaded.scenario).toBeDefined();
    }), { numRuns: RUNS });
  });

  it("keep to the knobs: node and pod counts, features off", () => {
    const knobs = { nodes: { min: 2, max: 3 }, pods: { max: 5 }, features: { taints: false, priority: false, nodeEvents: false, lifetimes: false, workloads: false } };
    fc.assert(fc.property(scenarioDocumentArbitrary(knobs), (document) => {
      const scenario = load(document).scenario;
      if (scenario === undefined) throw new Error("does not load");
      expect(scenario.nodes.length).toBeGreaterThanOrEqual(2);
      expect(scenario.nodes.length).toBeLessThanOrEqual(3);
      const pods = [...scenario.pods, ...scenario.timeline.flatMap((action) => (action.action === "createPod" ? [action.pod] : []))];
      expect(pods.length).toBeLessThanOrEqual(5);
      expect(scenario.nodes.every((node) => node.taints.length === 0)).toBe(true);
      expect(pods.every((pod) => pod.priority === 0 && pod.tolerations.every((toleration) => toleration.key !== "dedicated") && pod.sim.durationSeconds === undefined && pod.sim.failAfterSeconds === undefined)).toBe(true);
      expect(scenario.timeline.every((action) => action.action === "createPod" || action.action === "deletePod")).toBe(true);
    }), { numRuns: Math.ceil(RUNS / 2) });
  });

  it("make every workload kind, whose controllers then make pods", () => {
    const kinds = new Set<string>();
    let controlled = 0;
    fc.assert(fc.property(scenarioDocumentArbitrary({ workloads: { max: 3 } }), (document) => {
      const scenario = load(document).scenario;
      if (scenario === undefined) throw new Error("does not load");
      for (const object of scenario.objects ?? []) kinds.add(object.kind);
      const run = runScenario(scenario);
      controlled += Object.values(run.state.pods).filter((pod) => (pod.pod.ownerReferences ?? []).length > 0).length;
    }), { numRuns: 60 });
    expect([...kinds].sort()).toEqual(expect.arrayContaining(["CronJob", "DaemonSet", "Deployment", "Job", "StatefulSet"]));
    expect(controlled).toBeGreaterThan(0);
  });

  it("quantities parse back to what they say", () => {
    fc.assert(fc.property(cpuQuantityArbitrary(), memoryQuantityArbitrary(), (cpu, memory) => {
      // "250m" is 250 millicores, "2" is 2000; "512Mi" is 512 × 2^20 bytes, "3Gi" 3 × 2^30.
      const millis = cpu.endsWith("m") ? Number(cpu.slice(0, -1)) : Number(cpu) * 1000;
      const bytes = memory.endsWith("Gi") ? Number(memory.slice(0, -2)) * 2 ** 30 : Number(memory.slice(0, -2)) * 2 ** 20;
      expect(cpuMillis(cpu)).toBe(millis);
      expect(memoryBytes(memory)).toBe(bytes);
    }), { numRuns: RUNS });
  });

  it("shrink a failure to the smallest cluster that shows it", () => {
    // "No scenario holds a pod asking for more than 2 cpu": the minimal counterexample is one node and one such pod.
    const details = fc.check(fc.property(scenarioDocumentArbitrary(), (document) => {
      const scenario = load(document).scenario;
      const pods = [...(scenario?.pods ?? []), ...(scenario?.timeline ?? []).flatMap((action) => (action.action === "createPod" ? [action.pod] : []))];
      return pods.every((pod) => pod.containers.every((container) => (container.requests["cpu"] ?? 0) <= 2000));
    }), { seed: 4, numRuns: 1000 });
    expect(details.failed).toBe(true);
    const spec = (details.counterexample?.[0] as Manifest)["spec"] as { cluster: { nodes: unknown[] }; workloads: unknown[]; timeline?: unknown[] };
    expect(spec.cluster.nodes).toHaveLength(1);
    expect(spec.workloads.length + (spec.timeline ?? []).length).toBe(1);
  });
});
