/**
 * `timoneiro/properties`: the property-based research kit (docs/properties.md).
 *
 * - Arbitraries (fast-check, a peer dependency): manifests and whole Scenario documents as users
 *   write them (`scenarioDocumentArbitrary`, `nodeManifestArbitrary`, `podManifestArbitrary`,
 *   quantities), and the engine-level ones our own tests use (`scenarioArbitrary`, `podArbitrary`,
 *   `nodeArbitrary` …: Scenario objects with spreading, affinity, priorities, timelines).
 * - Laws: `LAWS` by name, each a documented predicate over a run; `lawsBroken(subject, names)`.
 */
export * from "./manifests.js";
export * from "./laws.js";
export {
  nodeArbitrary,
  podArbitrary,
  podAffinityArbitrary,
  scenarioArbitrary,
  sampledScenarioArbitrary,
  spreadScenarioArbitrary,
  growingScenarioArbitrary,
  workloadScenarioArbitrary,
  preemptionScenarioArbitrary,
} from "./arbitraries.js";
