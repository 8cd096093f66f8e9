/**
 * The JSONL event log: a header line, then one event per line with seq, t and type first;
 * decoding reports bad lines with their line number, and a truncated last line as such.
 */
import { describe, expect, it } from "vitest";
import { runScenario } from "../engine/engine.js";
import type { ClusterEvent } from "../events/events.js";
import { DEFAULT_OPTIONS } from "../cluster/state.js";
import { seedScenario } from "../testing/builders.js";
import { LOG_FORMAT, LogError, decodeEvent, decodeHeader, encodeEvent, encodeHeader, type LogHeader } from "./jsonl.js";

/** The seed's example, run once: every kind of event it produces. */
const seedEvents = runScenario(seedScenario()).events;

const header: LogHeader = {
  format: LOG_FORMAT,
  engine: "timoneiro 0.1.0",
  scenario: "seed-example",
  scenarioHash: "0".repeat(64),
  seed: 1,
  tick: "1s",
  untilSeconds: 400,
  options: DEFAULT_OPTIONS,
};

/** Decodes a whole log text the way a reader does: header on line 1, events after, the last line flagged. */
function decodeLog(text: string): { header: LogHeader; events: ClusterEvent[] } {
  const lines = text.split("\n").filter((line, index, all) => !(index === all.length - 1 && line === ""));
  const last = lines.length;
  return {
    header: decodeHeader(lines[0] ?? "", last === 1),
    events: lines.slice(1).map((line, index) => decodeEvent(line, index + 2, index + 2 === last)),
  };
}

function logError(action: () => unknown): LogError {
  try {
    action();
  } catch (error) {
    if (error instanceof LogError) return error;
    throw error;
  }
  throw new Error("expected a LogError");
}

describe("encodeEvent", () => {
  it("writes seq, t and type first, even when the object has them last", () => {
    const event = { pod: "default/web-1", node: "node-2", type: "PodBound", t: 0, seq: 6 } as const;
    expect(encodeEvent(event)).toBe('{"seq":6,"t":0,"type":"PodBound","pod":"default/web-1","node":"node-2"}');
  });

  it("writes the type's fields in vocabulary order whatever the object's order", () => {
    const event = { seq: 9, t: 5, type: "ContainerFailed", reason: "OOMKilled", exitCode: 137, container: "app", pod: "default/p" } as const;
    expect(encodeEvent(event)).toBe('{"seq":9,"t":5,"type":"ContainerFailed","pod":"default/p","container":"app","exitCode":137,"reason":"OOMKilled"}');
  });

  it("puts seq, t, type first on every event of the seed run", () => {
    for (const event of seedEvents) expect(Object.keys(JSON.parse(encodeEvent(event))).slice(0, 3)).toEqual(["seq", "t", "type"]);
  });
});

describe("decodeEvent", () => {
  it("round-trips every event of the seed run", () => {
    expect(new Set(seedEvents.map((event) => event.type))).toEqual(
      new Set(["NodeJoined", "PodCreated", "PodBound", "PodUnschedulable", "PodStarted", "PodSucceeded", "ResourcesFreed"]),
    );
    seedEvents.forEach((event, index) => expect(decodeEvent(encodeEvent(event), index + 2)).toEqual(event));
  });

  it("round-trips a whole log with its header", () => {
    const text = [encodeHeader(header), ...seedEvents.map(encodeEvent)].join("\n") + "\n";
    expect(decodeLog(text)).toEqual({ header, events: seedEvents });
  });

  const rows: Array<{ name: string; line: string; reason: RegExp }> = [
    { name: "an unknown type", line: '{"seq":1,"t":0,"type":"PodExploded","pod":"default/a"}', reason: /unknown event type "PodExploded"; known types: NodeJoined, / },
    { name: "a missing type", line: '{"seq":1,"t":0,"pod":"default/a"}', reason: /unknown event type undefined/ },
    { name: "a missing field", line: '{"seq":1,"t":0,"type":"PodBound","pod":"default/a"}', reason: /PodBound: field "node" must be a string/ },
    { name: "a field of the wrong type", line: '{"seq":1,"t":0,"type":"ContainerFailed","pod":"default/a","container":"app","exitCode":"1","reason":"Error"}', reason: /ContainerFailed: field "exitCode" must be an integer, got "1"/ },
    { name: "a missing seq", line: '{"t":0,"type":"NodeRemoved","node":"n"}', reason: /NodeRemoved: field "seq" must be a whole number ≥ 0, got nothing/ },
    { name: "a negative tick", line: '{"seq":1,"t":-1,"type":"NodeRemoved","node":"n"}', reason: /NodeRemoved: field "t" must be a whole number ≥ 0, got -1/ },
    { name: "a line that is not an object", line: "[1,2,3]", reason: /must be a JSON object/ },
    { name: "bad JSON", line: '{"seq":1,"t":0,"type":"NodeRemo', reason: /not valid JSON/ },
  ];
  it.each(rows)("$name is a LogError naming the line", ({ line, reason }) => {
    const error = logError(() => decodeEvent(line, 7));
    expect(error.line).toBe(7);
    expect(error.truncated).toBe(false);
    expect(error.message).toMatch(/^line 7: /);
    expect(error.message).toMatch(reason);
  });

  it("bad JSON in the middle of a file is an error at its line, not a truncation", () => {
    const lines = [encodeHeader(header), ...seedEvents.slice(0, 4).map(encodeEvent)];
    lines[2] = '{"seq":2,"t":0,"type":"PodCre';
    const error = logError(() => decodeLog(lines.join("\n")));
    expect(error).toMatchObject({ line: 3, truncated: false });
  });

  it("bad JSON on the last line is reported as truncated, with its line number", () => {
    const lines = [encodeHeader(header), ...seedEvents.slice(0, 4).map(encodeEvent)];
    lines[4] = (lines[4] as string).slice(0, 20);
    const error = logError(() => decodeLog(lines.join("\n")));
    expect(error).toMatchObject({ line: 5, truncated: true });
    expect(error.message).toMatch(/^line 5: truncated last line/);
  });
});

describe("decodeEvent checks the objects events carry", () => {
  it.each([
    ["a PodCreated without containers", '{"seq":2,"t":0,"type":"PodCreated","pod":"default/x","spec":{"namespace":"default","name":"x","labels":{},"annotations":{}}}', /PodCreated: field "spec\.containers" must be a list, got nothing/],
    ["a NodeJoined without allocatable", '{"seq":1,"t":0,"type":"NodeJoined","node":"n","spec":{"name":"n","labels":{},"annotations":{},"taints":[],"unschedulable":false,"capacity":{}}}', /NodeJoined: field "spec\.allocatable" must be an object, got nothing/],
    ["a container request that is not a number", '{"seq":2,"t":0,"type":"PodCreated","pod":"default/x","spec":{"namespace":"default","name":"x","labels":{},"annotations":{},"containers":[{"name":"c","image":"i","ports":[],"requests":{"cpu":"1"},"limits":{}}]}}', /PodCreated: field "spec\.containers\[0\]\.requests\["cpu"\]" must be a number, got "1"/],
    ["a field its type does not have", '{"seq":1,"t":0,"type":"NodeRemoved","node":"n","pod":"default/x"}', /NodeRemoved: field "pod" is not a field of NodeRemoved/],
    ["a Deployment without its template", '{"seq":1,"t":0,"type":"ObjectApplied","kind":"Deployment","object":"default/web","spec":{"kind":"Deployment","namespace":"default","name":"web","labels":{},"annotations":{},"ownerReferences":[],"replicas":1,"selector":{"matchLabels":{},"matchExpressions":[]},"minReadySeconds":0,"manifest":{}}}', /ObjectApplied: field "spec\.template" must be a Pod object, got nothing/],
    ["a PriorityClass whose value is text", '{"seq":1,"t":0,"type":"ObjectApplied","kind":"PriorityClass","object":"high","spec":{"kind":"PriorityClass","name":"high","value":"1000","globalDefault":false,"preemptionPolicy":"Never"}}', /ObjectApplied: field "spec\.value" must be an integer, got "1000"/],
    ["a scale of a kind that does not exist", '{"seq":1,"t":0,"type":"WorkloadScaled","kind":"Widget","object":"default/web","replicas":1}', /WorkloadScaled: field "kind" must be one of "Deployment", "ReplicaSet", "ReplicationController", "StatefulSet", "DaemonSet", "Job", "CronJob", "PriorityClass"/],
  ])("%s", (_name, line, reason) => {
    expect(() => decodeEvent(line, 7)).toThrow(reason);
  });
});

describe("decodeHeader", () => {
  it("round-trips the header", () => {
    expect(decodeHeader(encodeHeader(header))).toEqual(header);
  });

  const rows: Array<{ name: string; text: string; reason: RegExp }> = [
    { name: "a wrong format", text: JSON.stringify({ ...header, format: "something-else/v1" }), reason: /not a Timoneiro event log: the header's format is "something-else\/v1", expected "timoneiro.events\/v1"/ },
    { name: "an event line instead of a header", text: encodeEvent(seedEvents[0] as ClusterEvent), reason: /not a Timoneiro event log/ },
    { name: "a missing engine", text: JSON.stringify({ ...header, engine: undefined }), reason: /header field "engine" must be a string/ },
    { name: "a seed that is not a number", text: JSON.stringify({ ...header, seed: "1" }), reason: /header field "seed" must be a number/ },
    { name: "an unknown fitBy", text: JSON.stringify({ ...header, options: { fitBy: "usage" } }), reason: /"options.fitBy" must be "requests" or "limits"/ },
  ];
  it.each(rows)("rejects $name on line 1", ({ text, reason }) => {
    const error = logError(() => decodeHeader(text));
    expect(error.line).toBe(1);
    expect(error.message).toMatch(reason);
  });
});
