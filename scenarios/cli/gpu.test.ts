/**
 * GPU sharing through the CLI: examples/gpu-sharing.yaml (two nodes, pods sharing cards by
 * milli-GPU under examples/gpu-sharing.ksc.yaml) as a person runs it — the PodBound lines name
 * the cards, `describe node` shows each card's share and holders.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, runExample } from "./testing.js";

describe("examples/gpu-sharing.yaml", () => {
  it("binds shares to cards, says why the others wait, and describe node shows the cards", () => {
    const { log, events } = runExample("gpu-sharing.yaml");
    // train-a goes to g2 (BestFit 91 against g1's 85), infer-b and infer-c to g1's two cards; infer-d (700m) finds no card
    // with 700m free until train-a ends at 1m and frees g2's card.
    expect(events.filter((event) => event.type === "PodBound").map((event) => `${event.t} ${event.pod} ${event.node} ${JSON.stringify(event.gpus)}`)).toEqual([
      "0 default/train-a g2 [0]", "0 default/infer-b g1 [0]", "0 default/infer-c g1 [1]", "60 default/infer-d g2 [0]",
    ]);
    const at30 = cli("describe", "node", "g1", "--log", log, "--at", "30s");
    expect(at30.code).toBe(0);
    expect(at30.out).toContain("GPU cards (2):");
    expect(at30.out).toMatch(/^\s+0\s+T4\s+600m \(60%\)\s+400m\s+default\/infer-b \(600m\)$/m);
    expect(at30.out).toMatch(/^\s+1\s+T4\s+600m \(60%\)\s+400m\s+default\/infer-c \(600m\)$/m);
    // g2 at 90 s: infer-d's 700m on its card
    expect(cli("describe", "node", "g2", "--log", log, "--at", "90s").out).toMatch(/^\s+0\s+V100\s+700m \(70%\)\s+300m\s+default\/infer-d \(700m\)$/m);
    const run = cli("run", join(import.meta.dirname, "../../examples/gpu-sharing.yaml"));
    expect(run.out).toMatch(/0s\s+PodBound\s+pod\/default\/infer-c\s+bound to g1, GPU card 1/);
    expect(run.out).toContain("0/2 nodes are available: 2 node(s) didn't have the GPU model the pod accepts.");
  });
});
