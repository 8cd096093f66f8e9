/**
 * ImageLocality (v1.35): Σ over init and regular containers of size × (nodes with the image / all
 * nodes), clamped to [23 MiB, 1000 MiB × containers], then 100 × (sum − 23 MiB) / (max − 23 MiB),
 * truncated. 1 MiB = 1048576 bytes; 23 MiB = 24117248; 1000 MiB = 1048576000.
 */
import { describe, expect, it } from "vitest";
import type { Node } from "../../../model/node.js";
import type { Pod } from "../../../model/pod.js";
import { makeContainer, makeNode, makePod } from "../../../testing/builders.js";
import { cycleState } from "../../framework/snapshot.js";
import type { NodeInfo } from "../../framework/types.js";
import { newImageLocality, normalizedImageName } from "./index.js";

const MIB = 1024 * 1024;

const empty = (node: Node): NodeInfo => ({ node, requested: {}, nonZeroRequested: { cpu: 0, memory: 0 }, podCount: 0, usedPorts: [] });

/** `withImage` nodes list `images`, then `without` more nodes list none. */
function cluster(images: Record<string, number>, withImage: number, without: number): NodeInfo[] {
  return [
    ...Array.from({ length: withImage }, (_, index) => empty(makeNode(`with-${index}`, undefined, { images }))),
    ...Array.from({ length: without }, (_, index) => empty(makeNode(`without-${index}`))),
  ];
}

const running = (...images: string[]): Pod => makePod("p", {}, { containers: images.map((image, index) => makeContainer(`c${index}`, {}, { image })) });

describe("normalizedImageName", () => {
  const rows: Array<{ name: string; image: string; expected: string }> = [
    { name: "no tag means :latest", image: "nginx", expected: "nginx:latest" },
    { name: "a tag is kept", image: "nginx:1.25", expected: "nginx:1.25" },
    { name: "a registry port is not a tag", image: "registry:5000/app", expected: "registry:5000/app:latest" },
    { name: "a tag after a registry port is kept", image: "registry:5000/app:v2", expected: "registry:5000/app:v2" },
    { name: "a digest is kept", image: "repo/app@sha256:abcd", expected: "repo/app@sha256:abcd" },
  ];
  it.each(rows)("$name", ({ image, expected }) => {
    expect(normalizedImageName(image)).toBe(expected);
  });
});

describe("ImageLocality score", () => {
  const plugin = newImageLocality();
  const rows: Array<{ name: string; nodes: NodeInfo[]; pod: Pod; expected: number }> = [
    // the notes' example: one 500 MiB image on 5 of 10 nodes, two containers, one using it.
    // 524288000 × 5/10 = 262144000 (250 MiB); max 2 × 1000 MiB = 2097152000;
    // 100 × (262144000 − 24117248) / (2097152000 − 24117248) = 23802675200 / 2073034752 = 11.48 → 11
    { name: "the notes' worked example", nodes: cluster({ "example/big:1": 500 * MIB }, 5, 5), pod: running("example/big:1", "example/other:1"), expected: 11 },
    // both containers use it: counted twice, 524288000; 100 × 500170752 / 2073034752 = 24.13 → 24
    { name: "an image is counted once per container that uses it", nodes: cluster({ "example/big:1": 500 * MIB }, 5, 5), pod: running("example/big:1", "example/big:1"), expected: 24 },
    // "nginx" → "nginx:latest"; 200 MiB on 1 of 1: 100 × (209715200 − 24117248) / (1048576000 − 24117248)
    // = 18559795200 / 1024458752 = 18.12 → 18
    { name: "an untagged image matches the node's :latest", nodes: cluster({ "nginx:latest": 200 * MIB }, 1, 0), pod: running("nginx"), expected: 18 },
    // the node's names are taken as listed: "nginx" there is not "nginx:latest"
    { name: "the node's image names are not normalized", nodes: cluster({ nginx: 200 * MIB }, 1, 0), pod: running("nginx"), expected: 0 },
    // 40 MiB × 1/2 = 20 MiB < 23 MiB → clamped to 23 MiB → 0
    { name: "a sum under 23 MiB scores 0", nodes: cluster({ "example/small:1": 40 * MIB }, 1, 1), pod: running("example/small:1"), expected: 0 },
    // 2000 MiB on 1 of 1 > 1000 MiB × 1 container → clamped → 100
    { name: "a sum over 1000 MiB per container scores 100", nodes: cluster({ "example/huge:1": 2000 * MIB }, 1, 0), pod: running("example/huge:1"), expected: 100 },
    // 314572800 × 1/3 = 104857600; 100 × (104857600 − 24117248) / 1024458752 = 8074035200 / 1024458752 = 7.88 → 7
    { name: "the image's size is spread over all nodes", nodes: cluster({ "example/mid:1": 300 * MIB }, 1, 2), pod: running("example/mid:1"), expected: 7 },
    { name: "a node without the pod's images scores 0", nodes: [...cluster({}, 0, 1), ...cluster({ "example/mid:1": 300 * MIB }, 1, 0)], pod: running("example/mid:1"), expected: 0 },
  ];
  it.each(rows)("$name", ({ nodes, pod, expected }) => {
    const first = nodes[0] as NodeInfo;
    expect(plugin.score?.(cycleState(pod, {}, nodes), first)).toBe(expected);
  });

  it("init containers count, and count toward the maximum", () => {
    // init 600 MiB on 1 of 1 node; the app's image is absent; 2 containers → max 2000 MiB.
    // 100 × (629145600 − 24117248) / (2097152000 − 24117248) = 60502835200 / 2073034752 = 29.19 → 29
    const nodes = cluster({ "example/init:1": 600 * MIB }, 1, 0);
    const pod = makePod("p", {}, { initContainers: [makeContainer("init", {}, { image: "example/init:1" })], containers: [makeContainer("app", {}, { image: "example/absent:1" })] });
    expect(plugin.score?.(cycleState(pod, {}, nodes), nodes[0] as NodeInfo)).toBe(29);
  });
});
