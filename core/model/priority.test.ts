import { describe, expect, it } from "vitest";
import { makePod } from "../testing/builders.js";
import { PriorityClasses, priorityClassFromManifest, type PriorityClass } from "./priority.js";

const klass = (name: string, value: number, globalDefault = false): PriorityClass => ({ name, value, globalDefault, preemptionPolicy: "PreemptLowerPriority" });

// Rules of kube's Priority admission plugin (plugin/pkg/admission/priority/admission.go, v1.35).
describe("PriorityClasses.admit", () => {
  it("gives a pod its class's value", () => {
    const classes = new PriorityClasses();
    classes.add(klass("high", 1000));
    expect(classes.admit(makePod("p", {}, { priorityClassName: "high" }), false)).toEqual({ pod: makePod("p", {}, { priorityClassName: "high", priority: 1000 }) });
  });

  it("knows the system classes without being told: system-node-critical is 2000001000", () => {
    const admitted = new PriorityClasses().admit(makePod("p", {}, { priorityClassName: "system-node-critical" }), false);
    expect(admitted).toMatchObject({ pod: { priority: 2_000_001_000 } });
  });

  it("gives a pod without a class the global default's name and value, or 0 when there is none", () => {
    expect(new PriorityClasses().admit(makePod("p"), false)).toEqual({ pod: makePod("p") });
    const classes = new PriorityClasses();
    classes.add(klass("normal", 50, true));
    expect(classes.admit(makePod("p"), false)).toEqual({ pod: makePod("p", {}, { priority: 50, priorityClassName: "normal" }) });
  });

  it("refuses a pod whose class does not exist", () => {
    expect(new PriorityClasses().admit(makePod("p", {}, { priorityClassName: "urgent" }), false)).toEqual({ error: "no PriorityClass with name urgent was found" });
  });

  it("refuses a pod whose own spec.priority differs from its class's", () => {
    const classes = new PriorityClasses();
    classes.add(klass("high", 1000));
    expect(classes.admit(makePod("p", {}, { priorityClassName: "high", priority: 7 }), true)).toEqual({
      error: "the integer value of priority (7) must not be provided in pod spec; priority admission controller computed 1000 from the given PriorityClass name",
    });
  });

  it("sets preemptionPolicy Never from a class that says so", () => {
    const classes = new PriorityClasses();
    classes.add({ ...klass("batch", 10), preemptionPolicy: "Never" });
    expect(classes.admit(makePod("p", {}, { priorityClassName: "batch" }), false)).toEqual({ pod: makePod("p", {}, { priorityClassName: "batch", priority: 10, preemptionPolicy: "Never" }) });
  });

  it("refuses a pod whose own preemptionPolicy differs from its class's (the class defaults to PreemptLowerPriority)", () => {
    const classes = new PriorityClasses();
    classes.add(klass("high", 1000));
    expect(classes.admit(makePod("p", {}, { priorityClassName: "high", preemptionPolicy: "Never" }), false)).toEqual({
      error: "the string value of PreemptionPolicy (Never) must not be provided in pod spec; priority admission controller computed PreemptLowerPriority from the given PriorityClass name",
    });
  });

  it("keeps a pod's own preemptionPolicy Never when there is no class at all", () => {
    // No default class: admission computes PreemptLowerPriority, and the pod's Never differs: refused, as kube does.
    expect(new PriorityClasses().admit(makePod("p", {}, { preemptionPolicy: "Never" }), false)).toMatchObject({ error: expect.stringContaining("PreemptionPolicy (Never)") });
  });

  it("refuses a second global default, and a second class of one name", () => {
    const classes = new PriorityClasses();
    expect(classes.add(klass("a", 1, true))).toBeUndefined();
    expect(classes.add(klass("b", 2, true))).toBe("PriorityClass a is already marked as default. Only one default can exist");
    expect(classes.add(klass("system-node-critical", 5))).toBe('priorityclasses.scheduling.k8s.io "system-node-critical" already exists');
  });
});

describe("priorityClassFromManifest", () => {
  it("reads a class, and refuses one above the user limit with kube's message", () => {
    expect(priorityClassFromManifest({ apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass", metadata: { name: "batch" }, value: 10, preemptionPolicy: "Never" }).value)
      .toEqual({ name: "batch", value: 10, globalDefault: false, preemptionPolicy: "Never" });
    const refused = priorityClassFromManifest({ apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass", metadata: { name: "top" }, value: 1_000_000_001 });
    expect(refused.value).toBeUndefined();
    expect(refused.diagnostics.map((item) => item.message)).toEqual(["Forbidden: maximum allowed value of a user defined priority is 1000000000"]);
  });
});
