/**
 * Pods whose manifests say they are being deleted (`metadata.deletionTimestamp`) are terminating
 * in `run -f` and `explain -f`: deleted at tick 0 with their grace period
 * (`metadata.deletionGracePeriodSeconds`, else `terminationGracePeriodSeconds`), so spreading no
 * longer counts them (kube's countPodsMatchSelector skips pods with a deletionTimestamp).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "./testing.js";

const node = (name: string) => `apiVersion: v1
kind: Node
metadata: {name: ${name}}
status: {allocatable: {cpu: "4", memory: 8Gi, pods: "110"}}
`;
const web = (name: string, on: string, deletion = "") => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, labels: {app: web}${deletion}}
spec: {nodeName: ${on}, terminationGracePeriodSeconds: 45, containers: [{name: web, image: nginx, resources: {requests: {cpu: 500m}}}]}
`;
const incoming = `apiVersion: v1
kind: Pod
metadata: {name: web-3, labels: {app: web}}
spec:
  topologySpreadConstraints:
    - {maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {app: web}}}
  containers: [{name: web, image: nginx, resources: {requests: {cpu: 500m}}}]
`;

function manifests(deletion: string): string {
  const file = join(mkdtempSync(join(tmpdir(), "timoneiro-")), "cluster.yaml");
  writeFileSync(file, [node("node-a"), node("node-b"), web("web-1", "node-a", deletion), web("web-2", "node-b"), incoming].join("---\n"));
  return file;
}

describe("pods already being deleted in -f manifests", () => {
  // node-a holds web-1, node-b web-2. Counted: 1 and 1, min 1: both nodes 1 + 1 − 1 = 1 ≤ 1.
  // web-1 terminating: node-a 0, node-b 1, min 0: node-b 1 + 1 − 0 = 2 > 1, node-a 1.
  it("explain -f: spreading leaves the terminating pod out, so only node-a is feasible", () => {
    const counted = cli("explain", "-f", manifests(""), "--pod", "web-3");
    expect(counted.code, counted.err).toBe(0);
    expect(counted.out).toMatch(/^node-b\s+yes/m);
    const terminating = cli("explain", "-f", manifests(', deletionTimestamp: "2026-12-07T10:00:00Z"'), "--pod", "web-3");
    expect(terminating.code, terminating.err).toBe(0);
    expect(terminating.out).toMatch(/^node-a\s+yes/m);
    expect(terminating.out).toMatch(/^node-b\s+no\s+node\(s\) didn't match pod topology spread constraints/m);
  });

  it("run -f: the pod is deleted at 0s and frees its node after its grace period (deletionGracePeriodSeconds, else terminationGracePeriodSeconds)", () => {
    const given = cli("run", "-f", manifests(', deletionTimestamp: "2026-12-07T10:00:00Z", deletionGracePeriodSeconds: 20'), "--until", "1m");
    expect(given.code, given.err).toBe(0);
    expect(given.out).toMatch(/^0s\s+PodDeleted\s+pod\/default\/web-1\s+deleted; terminating for up to 20s$/m);
    expect(given.out).toMatch(/^20s\s+ResourcesFreed\s+pod\/default\/web-1/m);
    expect(given.out).toMatch(/^0s\s+PodBound\s+pod\/default\/web-3\s+bound to node-a$/m);
    const defaulted = cli("run", "-f", manifests(', deletionTimestamp: "2026-12-07T10:00:00Z"'), "--until", "1m");
    expect(defaulted.out).toMatch(/^45s\s+ResourcesFreed\s+pod\/default\/web-1/m);
  });
});
