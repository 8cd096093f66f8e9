/**
 * Strategic merge patch as kubectl patch applies it (apimachinery strategicpatch, v1.35), on a
 * Deployment's manifest; each expected object written out by hand.
 */
import { describe, expect, it } from "vitest";
import { PatchError, strategicMerge } from "./patch.js";

const deployment = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", labels: { app: "web", tier: "front" } },
  spec: {
    replicas: 3,
    strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } },
    template: {
      metadata: { labels: { app: "web" } },
      spec: {
        containers: [
          { name: "web", image: "nginx:1.26", env: [{ name: "MODE", value: "dev" }, { name: "OLD", value: "1" }], ports: [{ containerPort: 80 }] },
          { name: "sidecar", image: "envoy:1" },
        ],
        tolerations: [{ key: "a", operator: "Exists" }],
        volumes: [{ name: "data", emptyDir: {} }],
      },
    },
  },
};

describe("strategicMerge", () => {
  it("merges containers by name: only web's image changes, the sidecar stays", () => {
    const result = strategicMerge(deployment, { spec: { template: { spec: { containers: [{ name: "web", image: "nginx:1.27" }] } } } }) as typeof deployment;
    expect(result.spec.template.spec.containers).toEqual([
      { name: "web", image: "nginx:1.27", env: [{ name: "MODE", value: "dev" }, { name: "OLD", value: "1" }], ports: [{ containerPort: 80 }] },
      { name: "sidecar", image: "envoy:1" },
    ]);
    expect(deployment.spec.template.spec.containers[0]?.image).toBe("nginx:1.26");
  });

  it("merges env by name, deletes with $patch: delete, and deletes a container the same way", () => {
    const result = strategicMerge(deployment, { spec: { template: { spec: { containers: [
      { name: "web", env: [{ name: "MODE", value: "prod" }, { name: "OLD", $patch: "delete" }] },
      { name: "sidecar", $patch: "delete" },
    ] } } } }) as typeof deployment;
    expect(result.spec.template.spec.containers).toEqual([
      { name: "web", image: "nginx:1.26", env: [{ name: "MODE", value: "prod" }], ports: [{ containerPort: 80 }] },
    ]);
  });

  it("replaces lists without a merge key (tolerations) and removes a key set to null", () => {
    const result = strategicMerge(deployment, { metadata: { labels: { tier: null } }, spec: { template: { spec: { tolerations: [{ key: "b", operator: "Exists" }] } } } }) as typeof deployment;
    expect(result.metadata.labels).toEqual({ app: "web" });
    expect(result.spec.template.spec.tolerations).toEqual([{ key: "b", operator: "Exists" }]);
  });

  it("strategy is a union (retainKeys): type Recreate drops rollingUpdate", () => {
    const result = strategicMerge(deployment, { spec: { strategy: { type: "Recreate" } } }) as typeof deployment;
    expect(result.spec.strategy).toEqual({ type: "Recreate" });
  });

  it("$patch: replace on a map replaces it; a new container is added before the others", () => {
    const replaced = strategicMerge(deployment, { spec: { template: { metadata: { labels: { $patch: "replace", app: "web2" } } } } }) as typeof deployment;
    expect(replaced.spec.template.metadata.labels).toEqual({ app: "web2" });
    const added = strategicMerge(deployment, { spec: { template: { spec: { containers: [{ name: "log", image: "fluent:1" }] } } } }) as typeof deployment;
    expect(added.spec.template.spec.containers.map((container) => container.name)).toEqual(["log", "web", "sidecar"]);
  });

  it("an element without the merge key is an error, as kubectl's", () => {
    expect(() => strategicMerge(deployment, { spec: { template: { spec: { containers: [{ image: "x" }] } } } })).toThrow(PatchError);
    expect(() => strategicMerge(deployment, { spec: { template: { spec: { containers: [{ image: "x" }] } } } })).toThrow('does not contain declared merge key: name');
  });
});
