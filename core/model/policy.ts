/**
 * The objects that shape disruption and traffic rather than run pods: PodDisruptionBudgets
 * (policy/v1) and Services (v1). Read from their manifests after the API server's validation
 * (workloads.ts `validateWorkload`), with its defaults.
 */
import type { Diagnostic } from "./diagnostics.js";
import { labelSelectorFrom, objectAt, stringMap, type IntOrPercent, type LabelSelector } from "./workload.js";
import { validateWorkload } from "./workloads.js";

/** A policy/v1 PodDisruptionBudget. */
export interface DisruptionBudget {
  readonly kind: "PodDisruptionBudget";
  readonly namespace: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Undefined: a nil selector, which selects no pod; `{}` selects every pod of the namespace (policy/v1). */
  readonly selector?: LabelSelector;
  readonly minAvailable?: IntOrPercent;
  readonly maxUnavailable?: IntOrPercent;
  /** Unset behaves as IfHealthyBudget. */
  readonly unhealthyPodEvictionPolicy?: "IfHealthyBudget" | "AlwaysAllow";
  readonly manifest: Record<string, unknown>;
}

export interface ServicePort {
  readonly name?: string;
  readonly port: number;
  readonly protocol: "TCP" | "UDP" | "SCTP";
  /** A number, or a container port's name; defaults to `port`. */
  readonly targetPort: number | string;
  readonly nodePort?: number;
}

/** A v1 Service: what selects its endpoints, and how kubectl prints it. */
export interface Service {
  readonly kind: "Service";
  readonly namespace: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  /** `spec.selector`; undefined (or empty) for a Service whose endpoints are managed by hand: none here. */
  readonly selector?: Readonly<Record<string, string>>;
  readonly type: "ClusterIP" | "NodePort" | "LoadBalancer" | "ExternalName";
  readonly ports: readonly ServicePort[];
  /** `spec.clusterIP` as written (`None`: headless); else one is allocated when it is created. */
  readonly clusterIP?: string;
  readonly externalName?: string;
  readonly publishNotReadyAddresses: boolean;
  readonly manifest: Record<string, unknown>;
}

type Json = Record<string, unknown>;

function metaOf(object: Json): { namespace: string; name: string; labels: Record<string, string> } {
  const metadata = objectAt(object["metadata"]);
  const namespace = typeof metadata["namespace"] === "string" && metadata["namespace"] !== "" ? metadata["namespace"] : "default";
  return { namespace, name: String(metadata["name"] ?? ""), labels: stringMap(metadata["labels"]) };
}

/** A policy/v1 PodDisruptionBudget manifest; undefined with errors. */
export function disruptionBudgetFromManifest(object: Json): { value: DisruptionBudget | undefined; diagnostics: readonly Diagnostic[] } {
  const diagnostics = validateWorkload("PodDisruptionBudget", object);
  if (diagnostics.some((item) => item.severity === "error")) return { value: undefined, diagnostics };
  const spec = objectAt(object["spec"]);
  const intOrPercent = (value: unknown): IntOrPercent | undefined => (typeof value === "number" || typeof value === "string" ? value : undefined);
  const minAvailable = intOrPercent(spec["minAvailable"]);
  const maxUnavailable = intOrPercent(spec["maxUnavailable"]);
  const policy = spec["unhealthyPodEvictionPolicy"];
  return {
    value: {
      kind: "PodDisruptionBudget",
      ...metaOf(object),
      ...(spec["selector"] !== undefined && spec["selector"] !== null ? { selector: labelSelectorFrom(spec["selector"]) } : {}),
      ...(minAvailable !== undefined ? { minAvailable } : {}),
      ...(maxUnavailable !== undefined ? { maxUnavailable } : {}),
      ...(policy === "IfHealthyBudget" || policy === "AlwaysAllow" ? { unhealthyPodEvictionPolicy: policy } : {}),
      manifest: object,
    },
    diagnostics,
  };
}

const SERVICE_TYPES = ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"] as const;

/** A v1 Service manifest; undefined with errors. */
export function serviceFromManifest(object: Json): { value: Service | undefined; diagnostics: readonly Diagnostic[] } {
  const diagnostics = validateWorkload("Service", object);
  if (diagnostics.some((item) => item.severity === "error")) return { value: undefined, diagnostics };
  const spec = objectAt(object["spec"]);
  const type = (SERVICE_TYPES as readonly string[]).includes(String(spec["type"])) ? (spec["type"] as Service["type"]) : "ClusterIP";
  const ports = (Array.isArray(spec["ports"]) ? spec["ports"] : []).map((item): ServicePort => {
    const port = objectAt(item);
    const protocol = port["protocol"] === "UDP" || port["protocol"] === "SCTP" ? port["protocol"] : "TCP";
    const target = port["targetPort"];
    return {
      ...(typeof port["name"] === "string" && port["name"] !== "" ? { name: port["name"] } : {}),
      port: Number(port["port"]),
      protocol,
      targetPort: typeof target === "number" || (typeof target === "string" && target !== "") ? (/^[0-9]+$/.test(String(target)) ? Number(target) : target) : Number(port["port"]),
      ...(typeof port["nodePort"] === "number" ? { nodePort: port["nodePort"] } : {}),
    };
  });
  const selector = spec["selector"] === undefined || spec["selector"] === null ? undefined : stringMap(spec["selector"]);
  return {
    value: {
      kind: "Service",
      ...metaOf(object),
      ...(selector !== undefined && Object.keys(selector).length > 0 ? { selector } : {}),
      type,
      ports,
      ...(typeof spec["clusterIP"] === "string" && spec["clusterIP"] !== "" ? { clusterIP: spec["clusterIP"] } : {}),
      ...(typeof spec["externalName"] === "string" ? { externalName: spec["externalName"] } : {}),
      publishNotReadyAddresses: spec["publishNotReadyAddresses"] === true,
      manifest: object,
    },
    diagnostics,
  };
}
