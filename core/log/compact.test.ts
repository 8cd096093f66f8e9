import { describe, expect, it } from "vitest";
import { runScenario } from "../engine/engine.js";
import type { ClusterEvent } from "../events/events.js";
import { seedScenario } from "../testing/builders.js";
import { CompactLog } from "./compact.js";
import { encodeEvent } from "./jsonl.js";

describe("CompactLog", () => {
  const events = runScenario(seedScenario()).events;

  it("gives back the seed run's events, and iterates them in order", () => {
    const log = new CompactLog();
    for (const event of events) log.append(event);
    expect([...log]).toEqual(events);
    expect([...log].map(encodeEvent)).toEqual(events.map(encodeEvent));
  });

  it("keeps object fields by reference, not by copy", () => {
    const log = new CompactLog();
    log.append(events[0] as ClusterEvent);
    const joined = events[0] as Extract<ClusterEvent, { type: "NodeJoined" }>;
    expect((log.get(0) as typeof joined).spec).toBe(joined.spec);
  });

  it("grows past its first columns", () => {
    const log = new CompactLog();
    for (let seq = 1; seq <= 5000; seq++) log.append({ type: "NodeCordoned", node: `n${seq % 7}`, t: seq, seq });
    expect(log.size).toBe(5000);
    expect(log.get(4999)).toEqual({ type: "NodeCordoned", node: "n2", t: 5000, seq: 5000 }); // 5000 mod 7 = 2
  });

  it("appendIds stores what append would, from ids interned once", () => {
    const byEvent = new CompactLog();
    const byIds = new CompactLog();
    const pod = byIds.podId("default/web-1");
    const node = byIds.nodeId("node-2");
    byEvent.append({ type: "PodBound", pod: "default/web-1", node: "node-2", t: 3, seq: 1 });
    byIds.appendIds("PodBound", 3, pod, node);
    byEvent.append({ type: "ContainerFailed", pod: "default/web-1", container: "app", exitCode: 137, reason: "OOMKilled", t: 4, seq: 2 });
    byIds.appendIds("ContainerFailed", 4, pod, -1, byIds.textId("app"), byIds.textId("OOMKilled"), 137);
    expect([...byIds]).toEqual([...byEvent]);
  });

  it("refuses an event out of sequence", () => {
    const log = new CompactLog();
    expect(() => log.append({ type: "NodeCordoned", node: "n", t: 0, seq: 2 })).toThrow(/seq 2 appended at position 1/);
    expect(() => log.get(0)).toThrow(RangeError);
  });
});
