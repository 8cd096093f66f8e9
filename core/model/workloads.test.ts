import { describe, expect, it } from "vitest";
import { cronScheduleError, nextScheduleTime, parseCronSchedule, type ZoneOffsets } from "./cron.js";
import { formatPath } from "./diagnostics.js";
import { validateWorkload } from "./workloads.js";

type Json = Record<string, unknown>;

const template = (spec: Json = {}, labels: Json = { app: "web" }): Json => ({
  metadata: { labels },
  spec: { containers: [{ name: "app", image: "nginx:1.27" }], ...spec },
});

function deployment(spec: Json = {}, name = "web"): Json {
  return { apiVersion: "apps/v1", kind: "Deployment", metadata: { name }, spec: { replicas: 3, selector: { matchLabels: { app: "web" } }, template: template(), ...spec } };
}

/** Errors as `path: message`, the way the loader prints them after file:line. */
function errors(kind: string, object: Json): string[] {
  return validateWorkload(kind, object).filter((item) => item.severity === "error").map((item) => `${formatPath(item.path)}: ${item.message}`);
}

// Expected messages are kube-apiserver v1.35's field.Error bodies, copied from the validation
// sources named in workloads.ts (apps, batch, core, policy, scheduling validation.go).
describe("validateWorkload: what kube-apiserver v1.35 refuses on create", () => {
  const rows: [string, string, Json, string[]][] = [
    ["a valid Deployment", "Deployment", deployment(), []],
    ["negative replicas (ValidateNonnegativeField)", "Deployment", deployment({ replicas: -1 }),
      ["spec.replicas: Invalid value: -1: must be greater than or equal to 0"]],
    ["no selector: required, and nothing matches the template", "Deployment", deployment({ selector: undefined }),
      ["spec.selector: Required value", 'spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`']],
    ["an empty selector", "Deployment", deployment({ selector: {} }), ["spec.selector: Invalid value: {}: empty selector is invalid for deployment"]],
    ["a selector that misses the template's labels", "Deployment", deployment({ selector: { matchLabels: { app: "api" } } }),
      ['spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`']],
    ["a bad selector operator", "Deployment", deployment({ selector: { matchExpressions: [{ key: "app", operator: "Equals", values: ["web"] }] } }),
      ['spec.selector.matchExpressions[0].operator: Invalid value: "Equals": not a valid selector operator']],
    ["In without values", "Deployment", deployment({ selector: { matchExpressions: [{ key: "app", operator: "In" }] } }),
      ["spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'"]],
    ["restartPolicy OnFailure in a Deployment's template", "Deployment", deployment({ template: template({ restartPolicy: "OnFailure" }) }),
      ['spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"']],
    ["a template container without an image (read as a Pod)", "Deployment", deployment({ template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "app" }] } } }),
      ["spec.template.spec.containers[0].image: required"]],
    ["an unknown strategy type (the internal struct as JSON)", "Deployment", deployment({ strategy: { type: "BlueGreen" } }),
      ['spec.strategy: Unsupported value: {"Type":"BlueGreen","RollingUpdate":null}: supported values: "Recreate", "RollingUpdate"']],
    ["maxSurge and maxUnavailable both 0", "Deployment", deployment({ strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } } }),
      ["spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0"]],
    ["maxUnavailable above 100%", "Deployment", deployment({ strategy: { rollingUpdate: { maxUnavailable: "150%" } } }),
      ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "150%": must not be greater than 100%']],
    ["progressDeadlineSeconds not above minReadySeconds", "Deployment", deployment({ minReadySeconds: 10, progressDeadlineSeconds: 5 }),
      ["spec.progressDeadlineSeconds: Invalid value: 5: must be greater than minReadySeconds"]],
    ["an upper-case name (a DNS-1123 subdomain)", "Deployment", deployment({}, "Web"),
      ["metadata.name: Invalid value: \"Web\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"]],
    ["a StatefulSet name with a dot (a DNS-1123 label)", "StatefulSet", { metadata: { name: "db.main" }, spec: { selector: { matchLabels: { app: "web" } }, template: template() } },
      ['metadata.name: Invalid value: "db.main": must not contain dots']],
    ["a StatefulSet's unknown podManagementPolicy", "StatefulSet", { metadata: { name: "db" }, spec: { podManagementPolicy: "Fast", selector: { matchLabels: { app: "web" } }, template: template() } },
      ["spec.podManagementPolicy: Invalid value: \"Fast\": must be 'OrderedReady' or 'Parallel'"]],
    ["a DaemonSet setting maxSurge while maxUnavailable defaults to 1", "DaemonSet", { metadata: { name: "agent" }, spec: { selector: { matchLabels: { app: "web" } }, template: template(), updateStrategy: { rollingUpdate: { maxSurge: 1 } } } },
      ["spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 1: may not be set when maxUnavailable is non-zero"]],
    ["a Job whose template keeps the default restartPolicy Always", "Job", { metadata: { name: "pi" }, spec: { template: template() } },
      ['spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"']],
    ["a Job with a selector of its own and no manualSelector", "Job", { metadata: { name: "pi" }, spec: { selector: { matchLabels: { app: "web" } }, template: template({ restartPolicy: "Never" }) } },
      ['spec.selector: Invalid value: {"matchLabels":{"app":"web"}}: `selector` not auto-generated']],
    ["a Job with negative parallelism and an unknown completionMode", "Job", { metadata: { name: "pi" }, spec: { parallelism: -2, completionMode: "Ordered", template: template({ restartPolicy: "Never" }) } },
      ["spec.parallelism: Invalid value: -2: must be greater than or equal to 0", 'spec.completionMode: Unsupported value: "Ordered": supported values: "NonIndexed", "Indexed"']],
    ["a Job's podFailurePolicy with restartPolicy OnFailure and TerminatingOrFailed", "Job",
      { metadata: { name: "pi" }, spec: { podReplacementPolicy: "TerminatingOrFailed", podFailurePolicy: { rules: [{ action: "Ignore", onExitCodes: { operator: "In", values: [1] } }] }, template: template({ restartPolicy: "OnFailure" }) } },
      ['spec.template.spec.restartPolicy: Invalid value: "OnFailure": only "Never" is supported when podFailurePolicy is specified', 'spec.podReplacementPolicy: Unsupported value: "TerminatingOrFailed": supported values: "Failed"']],
    ["podFailurePolicy rules: no action, an unknown container, exit code 0 with In, unordered and repeated values, neither pattern", "Job",
      { metadata: { name: "pi" }, spec: { podFailurePolicy: { rules: [
        { onExitCodes: { containerName: "other", operator: "In", values: [3, 0, 3] } },
        { action: "Retry", onExitCodes: { operator: "Equals", values: [1] } },
        { action: "FailIndex" },
      ] }, template: template({ restartPolicy: "Never" }) } },
      [
        'spec.podFailurePolicy.rules[0].action: Required value: valid values: ["Count" "FailIndex" "FailJob" "Ignore"]',
        'spec.podFailurePolicy.rules[0].onExitCodes.containerName: Invalid value: "other": must be one of the container or initContainer names in the pod template',
        "spec.podFailurePolicy.rules[0].onExitCodes.values[1]: Invalid value: 0: must not be 0 for the In operator",
        "spec.podFailurePolicy.rules[0].onExitCodes.values[2]: Duplicate value: 3",
        "spec.podFailurePolicy.rules[0].onExitCodes.values: Invalid value: [3,0,3]: must be ordered",
        'spec.podFailurePolicy.rules[1].action: Unsupported value: "Retry": supported values: "Count", "FailIndex", "FailJob", "Ignore"',
        'spec.podFailurePolicy.rules[1].onExitCodes.operator: Unsupported value: "Equals": supported values: "In", "NotIn"',
        'spec.podFailurePolicy.rules[2].action: Invalid value: "FailIndex": requires the backoffLimitPerIndex to be set',
        "spec.podFailurePolicy.rules[2]: Invalid value: specifying one of OnExitCodes and OnPodConditions is required",
      ]],
    ["a CronJob with six schedule fields (robfig/cron's message)", "CronJob", { metadata: { name: "nightly" }, spec: { schedule: "0 0 * * * *", jobTemplate: { spec: { template: template({ restartPolicy: "OnFailure" }) } } } },
      ['spec.schedule: Invalid value: "0 0 * * * *": expected exactly 5 fields, found 6: [0 0 * * * *]']],
    ["a CronJob in the \"Local\" zone, and TZ= in its schedule (on create: kube's first message only)", "CronJob", { metadata: { name: "nightly" }, spec: { schedule: "TZ=UTC 0 0 * * *", timeZone: "Local", jobTemplate: { spec: { template: template({ restartPolicy: "Never" }) } } } },
      ['spec.schedule: Invalid value: "TZ=UTC 0 0 * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead', 'spec.timeZone: Invalid value: "Local": timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones']],
    ["a CronJob timeZone that is no IANA name (a part longer than 14 characters, a leading dash)", "CronJob", { metadata: { name: "nightly" }, spec: { schedule: "@daily", timeZone: "Europe/-Berlin", jobTemplate: { spec: { template: template({ restartPolicy: "Never" }) } } } },
      ['spec.timeZone: Invalid value: "Europe/-Berlin": unknown time zone Europe/-Berlin']],
    ["a CronJob name of 53 characters", "CronJob", { metadata: { name: "a".repeat(53) }, spec: { schedule: "@daily", jobTemplate: { spec: { template: template({ restartPolicy: "Never" }) } } } },
      [`metadata.name: Invalid value: "${"a".repeat(53)}": must be no more than 52 characters`]],
    ["a Service without ports", "Service", { metadata: { name: "web" }, spec: { selector: { app: "web" } } }, ["spec.ports: Required value"]],
    ["a Service named with a leading digit (a DNS-1035 label)", "Service", { metadata: { name: "1web" }, spec: { ports: [{ port: 80 }] } },
      ["metadata.name: Invalid value: \"1web\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"]],
    ["a PodDisruptionBudget with both minAvailable and maxUnavailable", "PodDisruptionBudget", { metadata: { name: "web" }, spec: { minAvailable: 1, maxUnavailable: "120%" } },
      ['spec: Invalid value: {"minAvailable":1,"maxUnavailable":"120%"}: minAvailable and maxUnavailable cannot be both set', 'spec.maxUnavailable: Invalid value: "120%": must not be greater than 100%']],
    ["a PriorityClass above the user limit", "PriorityClass", { metadata: { name: "urgent" }, value: 2_000_000_000 },
      ["value: Forbidden: maximum allowed value of a user defined priority is 1000000000"]],
    ["a made-up system- PriorityClass", "PriorityClass", { metadata: { name: "system-mine" }, value: 10 },
      ["metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-mine is not a known system priority class"]],
  ];
  it.each(rows)("%s", (_name, kind, object, expected) => {
    expect(errors(kind, object)).toEqual(expected);
  });

  it("warns about a misspelt spec field, with a suggestion", () => {
    const warnings = validateWorkload("Deployment", deployment({ replica: 3 })).filter((item) => item.severity === "warning");
    expect(warnings.map((item) => item.message)).toEqual(['unknown field "replica" in DeploymentSpec (did you mean "replicas"?)']);
  });
});

describe("cronScheduleError: robfig/cron v3 ParseStandard", () => {
  const rows: [string, string | undefined][] = [
    ["*/5 * * * *", undefined],
    ["0 9-17 * jan-jun mon-fri", undefined],
    ["@every 1h30m", undefined],
    ["@weekly", undefined],
    ["", "empty spec string"],
    ["@fortnightly", "unrecognized descriptor: @fortnightly"],
    ["60 * * * *", "end of range (60) above maximum (59): 60"],
    ["* * 0 * *", "beginning of range (0) below minimum (1): 0"],
    ["5-1 * * * *", "beginning of range (5) beyond end of range (1): 5-1"],
    ["*/0 * * * *", "step of range should be a positive number: */0"],
    ["1-2-3 * * * *", "too many hyphens: 1-2-3"],
    ["x * * * *", 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'],
    ["TZ=UTC 0 * * * *", "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"],
  ];
  it.each(rows)("%j", (schedule, expected) => {
    expect(cronScheduleError(schedule)).toBe(expected);
  });
});

describe("nextScheduleTime: robfig/cron v3 SpecSchedule.Next (times worked out with Python's datetime and zoneinfo)", () => {
  const JAN_1 = 1_767_225_600; // 2026-01-01T00:00:00Z, a Thursday
  const rows: [string, number, number | undefined][] = [
    ["*/5 * * * *", JAN_1, JAN_1 + 300],
    ["@hourly", JAN_1 + 1800, JAN_1 + 3600],
    ["@every 90s", JAN_1 + 7, JAN_1 + 97],
    // Friday 2026-01-02 10:00 → Monday 2026-01-05 09:00.
    ["0 9 * * 1-5", 1_767_348_000, 1_767_603_600],
    // Day of month and day of week both restricted: either (Vixie OR). The 1st has passed; Monday the 5th comes first.
    ["0 0 1 * mon", JAN_1, 1_767_571_200],
    // */2 clears robfig's star bit, so still OR: the 3rd (odd days from 1) before Monday the 5th.
    ["0 0 */2 * mon", JAN_1, 1_767_398_400],
    // Day of month `*`: AND, so Mondays only.
    ["0 0 * * mon", JAN_1, 1_767_571_200],
    // The next 29 February is in 2028.
    ["0 0 29 2 *", JAN_1, 1_835_395_200],
    // No 30 February within five years: robfig's zero time.
    ["0 0 30 2 *", JAN_1, undefined],
  ];
  it.each(rows)("%s after %i", (schedule, after, expected) => {
    expect(nextScheduleTime(parseCronSchedule(schedule), after)).toBe(expected);
  });

  // America/New_York in 2026: EST (−5 h) until 2026-03-08T07:00Z, EDT (−4 h) until 2026-11-01T06:00Z, then EST.
  const newYork: ZoneOffsets = { name: "America/New_York", offsets: [{ from: 0, offset: -18_000 }, { from: 1_772_953_200, offset: -14_400 }, { from: 1_793_512_800, offset: -18_000 }] };
  it("spring forward: 02:00 does not exist on 8 March, so a daily 02:00 runs next on the 9th (02:00 EDT = 06:00Z)", () => {
    expect(nextScheduleTime(parseCronSchedule("0 2 * * *"), 1_772_866_800, newYork)).toBe(1_773_036_000);
  });
  it("spring forward: hourly from 01:00 EST goes to 03:00 EDT, one real hour later", () => {
    expect(nextScheduleTime(parseCronSchedule("0 * * * *"), 1_772_949_600, newYork)).toBe(1_772_949_600 + 3600);
  });
  it("fall back: a daily 01:00 runs twice on 1 November (01:00 EDT = 05:00Z, 01:00 EST = 06:00Z), then 06:00Z on the 2nd", () => {
    const daily = parseCronSchedule("0 1 * * *");
    const first = nextScheduleTime(daily, 1_793_448_000, newYork);
    expect(first).toBe(1_793_509_200);
    const second = nextScheduleTime(daily, first as number, newYork);
    expect(second).toBe(1_793_512_800);
    expect(nextScheduleTime(daily, second as number, newYork)).toBe(1_793_599_200);
  });
});
