/**
 * Out-of-tree plugins through the public surface: which configurations kube accepts with them
 * (runtime/registry.go, runtime/framework.go updatePluginList), the score range kube enforces
 * (runtime/framework.go RunScorePlugins), and the wrapping of the user's code.
 */
import { describe, expect, it } from "vitest";
import {
  KSC_API_VERSION,
  PluginError,
  outOfTreeRegistry,
  runCycle,
  runScenario,
  schedulerConfigurationFrom,
  type CycleState,
  type Node,
  type NodeInfo,
  type Plugin,
  type Pod,
  type Scenario,
  type SchedulerOptions,
} from "../../index.js";

const GiB = 2 ** 30;

function registry(...plugins: unknown[]) {
  const built = outOfTreeRegistry(plugins, (index) => `plugin ${index}`);
  if (built.registry === undefined) throw new Error(built.problems.join("; "));
  return built.registry;
}

function configure(profile: Record<string, unknown>, plugins: ReturnType<typeof registry>) {
  const options: SchedulerOptions = { balancedAllocationFormula: "v1.35", plugins };
  return schedulerConfigurationFrom({ apiVersion: KSC_API_VERSION, kind: "KubeSchedulerConfiguration", profiles: [profile] }, options);
}

const pass: Plugin = { name: "Pass", filter: () => ({ code: "Success", reasons: [] }) };

describe("the registry (runtime/registry.go)", () => {
  it("refuses an in-tree plugin's name, a name given twice, and an object without a point", () => {
    expect(outOfTreeRegistry([{ name: "NodeResourcesFit", filter: () => ({ code: "Success" }) }], () => "a.js").problems)
      .toEqual(["a.js: a plugin named NodeResourcesFit already exists (an in-tree plugin of kube-scheduler v1.35): kube-scheduler refuses to register it; rename it"]);
    expect(outOfTreeRegistry([pass, pass], (index) => `p${index}`).problems).toEqual(["p1: a plugin named Pass already exists: kube-scheduler refuses to register it; rename it"]);
    expect(outOfTreeRegistry([{ name: "Nothing" }], () => "n.js").problems[0]).toContain("n.js: plugin \"Nothing\" implements no extension point Timoneiro runs");
    expect(outOfTreeRegistry([{ name: "" }], () => "e.js").problems[0]).toContain("e.js: the plugin's name must be a non-empty string");
  });
});

describe("profiles with out-of-tree plugins (runtime/framework.go)", () => {
  it("enables a Filter plugin by name at filter, after the default filters", () => {
    const result = configure({ plugins: { filter: { enabled: [{ name: "Pass" }] } } }, registry(pass));
    expect(result.diagnostics).toEqual([]);
    const profile = result.value?.profiles[0];
    expect(profile?.filter.map((plugin) => plugin.name)).toEqual(["NodeUnschedulable", "NodeName", "TaintToleration", "NodeAffinity", "NodePorts", "NodeResourcesFit", "PodTopologySpread", "InterPodAffinity", "Pass"]);
    expect(profile?.outOfTree).toEqual(["Pass"]);
  });

  it("refuses it at a point it does not implement, with kube's message", () => {
    const result = configure({ plugins: { score: { enabled: [{ name: "Pass" }] } } }, registry(pass));
    expect(result.value).toBeUndefined();
    expect(result.diagnostics.map((diagnostic) => diagnostic.message)).toContain('plugin "Pass" does not extend ScorePlugin plugin (kube-scheduler v1.35 refuses the profile; Pass implements Filter)');
  });

  it("multiPoint enables it at every point it implements, with its weight", () => {
    const both: Plugin = { name: "Both", filter: () => ({ code: "Success", reasons: [] }), score: () => 7 };
    const profile = configure({ plugins: { multiPoint: { enabled: [{ name: "Both", weight: 4 }] } } }, registry(both)).value?.profiles[0];
    expect(profile?.filter.some((plugin) => plugin.name === "Both")).toBe(true);
    expect(profile?.score.find((entry) => entry.plugin.name === "Both")?.weight).toBe(4);
  });

  it("takes no args for it (set them in its module)", () => {
    const result = configure({ plugins: { filter: { enabled: [{ name: "Pass" }] } }, pluginConfig: [{ name: "Pass", args: { level: 3 } }] }, registry(pass));
    expect(result.diagnostics.map((diagnostic) => diagnostic.message)).toEqual(["Timoneiro passes no args to out-of-tree plugins: set Pass's parameters in its module"]);
  });
});

function node(name: string, cpu: number): NodeInfo {
  const spec: Node = { name, labels: { "kubernetes.io/hostname": name }, annotations: {}, taints: [], unschedulable: false, capacity: { cpu, memory: 8 * GiB, pods: 110 }, allocatable: { cpu, memory: 8 * GiB, pods: 110 }, ready: "True" };
  return { node: spec, requested: {}, nonZeroRequested: { cpu: 0, memory: 0 }, podCount: 0, usedPorts: [] };
}

const pod: Pod = {
  namespace: "default", name: "web", labels: {}, annotations: {}, containers: [{ name: "app", image: "nginx", ports: [], requests: { cpu: 100 }, limits: {} }],
  initContainers: [], restartPolicy: "Always", priority: 0, schedulerName: "default-scheduler", nodeSelector: {}, tolerations: [], schedulingGates: [], terminationGracePeriodSeconds: 30, sim: {},
};

function cycleFor(nodes: readonly NodeInfo[]): CycleState {
  return { podKey: "default/web", pod, request: { cpu: 100 }, nonZeroRequest: { cpu: 100, memory: 200 * 2 ** 20 }, hostPorts: [], allNodes: nodes.length, imageNodeCounts: new Map() };
}

describe("scores (runtime/framework.go RunScorePlugins)", () => {
  const nodes = [node("a", 4000), node("b", 150000)];
  const profileWith = (plugin: Plugin) => {
    const built = configure({ plugins: { multiPoint: { enabled: [{ name: plugin.name }] } } }, registry(plugin)).value?.profiles[0];
    if (built === undefined) throw new Error("profile refused");
    return built;
  };

  it("a score above 100 after NormalizeScore fails the cycle with kube's error", () => {
    // The cpu in cores: 4 for a, 150 for b — b is out of range.
    const cores: Plugin = { name: "Cores", score: (_cycle, info) => (info.node.allocatable.cpu ?? 0) / 1000 };
    const result = runCycle({ profile: profileWith(cores), cycle: cycleFor(nodes), nodes, startIndex: 0, seed: 1 });
    expect(result.error).toBe(true);
    expect(result.message).toBe('applying score defaultWeights on Score plugins: plugin "Cores" returns an invalid score 150, it should in the range of [0, 100] after normalizing');
  });

  it("NormalizeScore may bring them into range; then the higher total wins", () => {
    const normalized: Plugin = {
      name: "Normalized",
      score: (_cycle, info) => (info.node.allocatable.cpu ?? 0) / 1000,
      normalizeScore: (_cycle, _nodes, scores) => {
        const most = Math.max(...scores);
        scores.forEach((score, index) => { scores[index] = Math.floor((100 * score) / most); });
      },
    };
    const result = runCycle({ profile: profileWith(normalized), cycle: cycleFor(nodes), nodes, startIndex: 0, seed: 1 });
    expect(result.error).toBe(false);
    // a: 4 → 2, b: 150 → 100; weight 1 against the default plugins' equal scores on two empty nodes.
    expect(result.scores.map((score) => [score.node, score.scores["Normalized"]])).toEqual([["a", 2], ["b", 100]]);
    expect(result.selected).toBe("b");
  });

  it("a score that is not a whole number, a status that is not one, and a throw are PluginErrors naming plugin and point", () => {
    const half: Plugin = { name: "Half", score: () => 0.5 };
    expect(() => runCycle({ profile: profileWith(half), cycle: cycleFor(nodes), nodes, startIndex: 0, seed: 1 }))
      .toThrow(new PluginError("Half", "Score on node a", "returned 0.5; a score is a whole number (kube's int64), within [0, 100] after NormalizeScore"));
    const yes = { name: "Yes", filter: () => true } as unknown as Plugin;
    expect(() => runCycle({ profile: profileWith(yes), cycle: cycleFor(nodes), nodes, startIndex: 0, seed: 1 }))
      .toThrow('plugin "Yes" (Filter on node a): returned true; a status is {code: "Success" | "Unschedulable" | "UnschedulableAndUnresolvable" | "Skip" | "Error", reasons?: string[]}');
    const thrower: Plugin = { name: "Thrower", filter: () => { throw new RangeError("bad"); } };
    expect(() => runCycle({ profile: profileWith(thrower), cycle: cycleFor(nodes), nodes, startIndex: 0, seed: 1 })).toThrow('plugin "Thrower" (Filter): threw RangeError: bad');
  });
});

describe("both engines with a user's plugin", () => {
  it("give the same events: a Filter that keeps pods off odd nodes, a Score for fewer pods", () => {
    const odd: Plugin = {
      name: "EvenOnly",
      filter: (_cycle, info) => (Number(info.node.name.slice(5)) % 2 === 1 ? { code: "Unschedulable", reasons: ["node(s) are odd"] } : { code: "Success", reasons: [] }),
      score: (_cycle, info) => Math.max(0, 100 - 10 * info.podCount),
    };
    const configuration = configure({ plugins: { multiPoint: { enabled: [{ name: "EvenOnly" }] } } }, registry(odd)).value;
    if (configuration === undefined) throw new Error("refused");
    const nodes = Array.from({ length: 6 }, (_, index) => node(`node-${index}`, 2000).node);
    const pods = Array.from({ length: 14 }, (_, index): Pod => ({ ...pod, name: `web-${index}` }));
    const scenario: Scenario = { name: "even", seed: 3, untilSeconds: 60, options: { fitBy: "requests" }, nodes, pods, timeline: [] };
    const fast = runScenario(scenario, { engine: "fast" }, { policy: "kube", configuration });
    const reference = runScenario(scenario, { engine: "reference" }, { policy: "kube", configuration });
    expect(JSON.stringify(fast.events)).toBe(JSON.stringify(reference.events));
    // 14 pods of 100m on the 3 even nodes (2 cpu each: 20 fit on each): every pod bound, none to an odd node.
    const bound = fast.events.filter((event) => event.type === "PodBound");
    expect(bound).toHaveLength(14);
    expect(bound.every((event) => event.type === "PodBound" && Number(event.node.slice(5)) % 2 === 0)).toBe(true);
  });
});
