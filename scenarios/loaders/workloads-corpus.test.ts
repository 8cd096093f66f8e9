/**
 * Every Deployment, ReplicaSet, ReplicationController, StatefulSet, DaemonSet, Job and CronJob in ../shared/manifests, run:
 * each must hold the pods kube would hold — `replicas` of them (a DaemonSet: one per node; a Job:
 * min(parallelism, completions), its pods running on past the two minutes, having no simulated
 * duration; none while suspended, as Kueue's sample Jobs are until Kueue admits them; a CronJob:
 * its Jobs for the runs of its schedule in the two minutes, named after the scheduled minute), named after their ReplicaSet (for a Deployment, `<deployment>-<pod-template-hash>`), a
 * StatefulSet's ordinals or a Job's (Indexed: `<job>-<index>-`), owned by it, labelled as its template says.
 * The cluster is made large enough for every request in the file (extended resources included),
 * so a pod that stays Pending does so for a reason of its own (a nodeSelector, a scheduler name
 * not simulated …), which the test reads from the pod.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runScenario, shouldRunOn, type ClusterObject, type Node, type PodState, type Workload } from "../../core/index.js";
import { loadManifestText, priorityClassesOf, admitWorkloads, type LoadedManifests } from "./manifests.js";

const MANIFESTS = join(import.meta.dirname, "../../../shared/manifests");

function files(): string[] {
  return readdirSync(MANIFESTS)
    .filter((folder) => statSync(join(MANIFESTS, folder)).isDirectory())
    .flatMap((folder) => readdirSync(join(MANIFESTS, folder)).map((file) => `${folder}/${file}`))
    .filter((file) => /\.(ya?ml|json)$/.test(file))
    .sort();
}

function load(relative: string): LoadedManifests {
  const loaded = loadManifestText(readFileSync(join(MANIFESTS, relative), "utf8"), relative, { validate: "warn" });
  admitWorkloads(priorityClassesOf(loaded.priorityClasses, loaded.diagnostics), loaded.workloads, loaded.diagnostics);
  return loaded;
}

/** Ten nodes that can each hold every replica of the file: 1,000 cpu, 4 Ti, 1,000 pods, and any extended resource asked for. */
function bigNodes(workloads: readonly Workload[]): Node[] {
  const extended: Record<string, number> = {};
  for (const workload of workloads) {
    for (const container of [...workload.template.containers, ...workload.template.initContainers]) {
      for (const [name, amount] of Object.entries(container.requests)) if (name !== "cpu" && name !== "memory") extended[name] = Math.max(extended[name] ?? 0, amount * Math.max(1, workload.replicas));
    }
  }
  const allocatable = { cpu: 1_000_000, memory: 4 * 2 ** 40, pods: 1000, "ephemeral-storage": 4 * 2 ** 40, ...extended };
  return Array.from({ length: 10 }, (_, index) => ({
    // Labelled as a cloud labels nodes: kwok's Deployment spreads its pods over regions (DoNotSchedule), which needs the key.
    name: `node-${index}`, labels: { "kubernetes.io/hostname": `node-${index}`, "topology.kubernetes.io/zone": `zone-${index % 3}`, "topology.kubernetes.io/region": "region-1" }, annotations: {}, taints: [], unschedulable: false,
    capacity: allocatable, allocatable, ready: "True" as const,
  }));
}

/** Why a pod of a workload may rightly stay Pending on an empty, large cluster. */
function ownReason(pod: PodState): boolean {
  const spec = pod.pod;
  return spec.schedulerName !== "default-scheduler" || Object.keys(spec.nodeSelector).length > 0 || spec.nodeAffinity !== undefined || spec.schedulingGates.length > 0 ||
    spec.containers.some((container) => container.ports.some((port) => port.hostPort !== undefined));
}

const withWorkloads = files().filter((file) => load(file).workloads.length > 0);

describe("every Deployment, ReplicaSet, ReplicationController, StatefulSet, DaemonSet, Job and CronJob in shared/manifests runs and holds its pods", () => {
  it("finds them (microservices demo, guestbook, kwok, kube examples …)", () => {
    expect(withWorkloads.length).toBeGreaterThanOrEqual(10);
    expect(withWorkloads).toContain("microservices-demo/kubernetes-manifests.yaml");
    expect(withWorkloads).toContain("kubernetes-examples/guestbook-all-in-one.yaml");
  });

  it.each(withWorkloads)("%s", (file) => {
    const loaded = load(file);
    const workloads = loaded.workloads.map((entry) => entry.value);
    const objects: ClusterObject[] = [...loaded.priorityClasses.map(({ value }): ClusterObject => ({ kind: "PriorityClass", ...value })), ...workloads];
    const result = runScenario({ name: file, seed: 1, untilSeconds: 120, options: { fitBy: "requests" }, nodes: bigNodes(workloads), pods: loaded.pods, objects, timeline: [] });
    const state = result.state;
    for (const workload of workloads) {
      const key = `${workload.kind}/${workload.namespace}/${workload.name}`;
      const record = state.objects[key];
      expect(record, key).toBeDefined();
      // The ReplicaSets whose pods count: the workload itself, or a Deployment's one ReplicaSet.
      const owners = workload.kind === "Deployment"
        ? Object.values(state.objects).filter((item) => item.object.kind === "ReplicaSet" && item.object.ownerReferences.some((reference) => reference.uid === record?.uid))
        : [record];
      if (workload.kind === "Deployment") {
        expect(owners, `${key}: one ReplicaSet`).toHaveLength(1);
        const rs = owners[0]?.object as Workload;
        expect(rs.name).toMatch(new RegExp(`^${workload.name}-[4-9bcdf]{1,10}$`));
        expect(rs.template.labels["pod-template-hash"]).toBe(rs.name.slice(workload.name.length + 1));
      }
      if (workload.kind === "CronJob") {
        // Both CronJobs here run every minute ("* * * * *"): Jobs at 60 and 120 s, each with min(parallelism, completions) pods, running on.
        expect(workload.cronJob?.schedule, key).toBe("* * * * *");
        const jobs = Object.values(state.objects).filter((item) => item.object.kind === "Job" && item.object.ownerReferences.some((reference) => reference.uid === record?.uid));
        expect(jobs.map((item) => (item.object as Workload).name).sort(), key).toEqual([`${workload.name}-${29_453_761}`, `${workload.name}-${29_453_762}`]);
        for (const job of jobs) {
          const spec = (job.object as Workload).job;
          const pods = Object.values(state.pods).filter((pod) => pod.pod.ownerReferences?.some((reference) => reference.uid === job.uid));
          expect(pods.length, `${key}'s ${(job.object as Workload).name}`).toBe(Math.min(spec?.parallelism ?? 1, spec?.completions ?? 1));
        }
        continue;
      }
      const uids = new Set(owners.map((item) => item?.uid));
      const pods = Object.values(state.pods).filter((pod) => pod.pod.ownerReferences?.some((reference) => reference.controller && uids.has(reference.uid)));
      // A DaemonSet: one pod on each node that should run one (all ten here, unless its selector or affinity asks for labels they lack).
      const job = workload.job;
      const expected = workload.kind === "DaemonSet"
        ? Object.values(state.nodes).filter((node) => shouldRunOn(workload, node.node)[0]).length
        : job !== undefined ? (job.suspend ? 0 : Math.min(job.parallelism, job.completions ?? job.parallelism)) : workload.replicas;
      const selects = Object.keys(workload.template.nodeSelector).length > 0 || workload.template.nodeAffinity?.required !== undefined;
      if (workload.kind === "DaemonSet" && !selects) expect(expected, `${key}: on all ten (untainted) nodes`).toBe(10);
      expect(pods.length, `${key}: ${expected} pods`).toBe(expected);
      for (const pod of pods) {
        const owner = pod.pod.ownerReferences?.[0]?.name as string;
        // A StatefulSet's pods are <name>-<ordinal>; an Indexed Job's <name>-<index>-<5 characters>; the others' <owner>-<5 characters>.
        const index = job?.completionMode === "Indexed" ? "-[0-9]+" : "";
        expect(pod.pod.name).toMatch(workload.kind === "StatefulSet" ? new RegExp(`^${owner}-[0-9]+$`) : new RegExp(`^${owner.slice(0, 58)}${index}-?[bcdfghjklmnpqrstvwxz2456789]{5}$`));
        for (const [label, value] of Object.entries(workload.template.labels)) expect(pod.pod.labels[label]).toBe(value);
        // Scheduled and started, unless the pod itself asks for something this cluster lacks.
        if (!ownReason(pod)) expect(`${pod.pod.name} ${pod.phase}`).toBe(`${pod.pod.name} Running`);
      }
    }
  });

  it("the microservices demo on three 2-cpu / 4 Gi nodes: twelve services, twelve Running pods", () => {
    const loaded = load("microservices-demo/kubernetes-manifests.yaml");
    const workloads = loaded.workloads.map((entry) => entry.value);
    const node = (name: string): Node => ({ name, labels: {}, annotations: {}, taints: [], unschedulable: false, capacity: { cpu: 2000, memory: 4 * 2 ** 30, pods: 110 }, allocatable: { cpu: 2000, memory: 4 * 2 ** 30, pods: 110 }, ready: "True" });
    const result = runScenario({ name: "demo", seed: 1, untilSeconds: 60, options: { fitBy: "requests" }, nodes: [node("n1"), node("n2"), node("n3")], pods: [], objects: workloads, timeline: [] });
    const pods = Object.values(result.state.pods);
    expect(workloads).toHaveLength(12);
    expect(pods).toHaveLength(12);
    expect(pods.every((pod) => pod.phase === "Running")).toBe(true);
    // The file's cpu requests, one per Deployment, read by hand: 100m × 8 + 200m × 2 (adservice, cartservice)
    // + 300m (loadgenerator) + 70m (redis-cart) = 1,570m, which fits three 2-cpu nodes.
    const cpu = pods.reduce((sum, pod) => sum + (pod.request["cpu"] ?? 0), 0);
    expect(cpu).toBe(1570);
  });
});
