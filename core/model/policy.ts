/**
 * The objects that shape disruption, traffic and placement rather than run pods:
 * PodDisruptionBudgets (policy/v1), Services (v1) and Namespaces (v1, for their labels, which
 * inter-pod affinity's namespaceSelector reads). Read from their manifests after the API server's
 * validation (workloads.ts `validateWorkload`), with its defaults.
 */
import { DiagnosticList, type Diagnostic } from "./diagnostics.js";
import { checkLabels, dns1123LabelErrors, invalid, required } from "./validation.js";
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

/**
 * A v1 Namespace: cluster-scoped, its name a DNS-1123 label (ValidateNamespaceName); what the
 * scheduler reads of it is its labels. A namespace without an object still holds pods (they are
 * created implicitly); its labels are then none, as kube-scheduler assumes for a namespace it
 * cannot find.
 */
export interface NamespaceObject {
  readonly kind: "Namespace";
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** A v1 Namespace manifest; undefined with errors (`metadata.name` required and a DNS-1123 label, labels valid). */
export function namespaceFromManifest(object: Json): { value: NamespaceObject | undefined; diagnostics: readonly Diagnostic[] } {
  const out = new DiagnosticList();
  const metadata = objectAt(object["metadata"]);
  const name = metadata["name"];
  if (typeof name !== "string" || name === "") out.error(["metadata", "name"], required("name or generateName is required"));
  else for (const message of dns1123LabelErrors(name)) out.error(["metadata", "name"], invalid(name, message));
  checkLabels(metadata["labels"], ["metadata", "labels"], out);
  if (out.hasErrors) return { value: undefined, diagnostics: out.items };
  return { value: { kind: "Namespace", name: name as string, labels: stringMap(metadata["labels"]) }, diagnostics: out.items };
}
