/**
 * Resource lists: resource name → integer amount in the resource's base unit.
 *
 * Units (DESIGN.md "Resources"): `cpu` in millicores; `memory`, `ephemeral-storage` and
 * `hugepages-*` in bytes; `pods` and extended resources (`nvidia.com/gpu`) as counts.
 * Plain, JSON-serialisable records; functions here never mutate their arguments.
 */
import { cpuMillis, memoryBytes } from "../quantity/quantity.js";

/** resource name → amount in base units; a missing key means zero (or "not set"). */
export type ResourceList = Readonly<Record<string, number>>;

export const CPU = "cpu";
export const MEMORY = "memory";
export const EPHEMERAL_STORAGE = "ephemeral-storage";
export const PODS = "pods";

/** The kubelet's default `--max-pods`, used when a node declares no `pods` capacity. */
export const DEFAULT_MAX_PODS = 110;

/** Converts one quantity text to the base unit of `resourceName` (millicores for cpu). */
export function resourceAmount(resourceName: string, text: string): number {
  return resourceName === CPU ? cpuMillis(text) : memoryBytes(text);
}

/** `hugepages-2Mi`, `hugepages-1Gi`, … */
export function isHugePages(resourceName: string): boolean {
  return resourceName.startsWith("hugepages-");
}

/**
 * Kubernetes' `IsPrefixedNativeResource` (pkg/apis/core/helper/helpers.go): a name in the
 * `kubernetes.io/` namespace (`kubernetes.io/something`, `example.kubernetes.io/x`). The API
 * server accepts these for pods and nodes; they may be fractional and overcommitted, and
 * NodeResourcesFit checks them like any scalar resource (rounded up to whole units, as
 * `Quantity.Value()`).
 */
export function isPrefixedNativeResource(resourceName: string): boolean {
  return resourceName.includes("kubernetes.io/");
}

/**
 * Kubernetes' `IsExtendedResourceName`: a fully-qualified name that is not native (outside the
 * `kubernetes.io/` namespace) and not a quota name (`requests.…`): `nvidia.com/gpu`,
 * `example.com/dongle`. Whole numbers only, never overcommitted.
 */
export function isExtendedResource(resourceName: string): boolean {
  if (!resourceName.includes("/") || isPrefixedNativeResource(resourceName)) return false;
  return !resourceName.startsWith("requests.");
}

/** a + b, per resource. */
export function addResources(a: ResourceList, b: ResourceList): ResourceList {
  const sum: Record<string, number> = { ...a };
  for (const name in b) sum[name] = (sum[name] ?? 0) + (b[name] as number);
  return sum;
}

/** a - b, per resource (keys of a and b). */
export function subtractResources(a: ResourceList, b: ResourceList): ResourceList {
  const difference: Record<string, number> = { ...a };
  for (const name in b) difference[name] = (difference[name] ?? 0) - (b[name] as number);
  return difference;
}

/** The per-resource maximum of a and b (keys of both). */
export function maxResources(a: ResourceList, b: ResourceList): ResourceList {
  const maximum: Record<string, number> = { ...a };
  for (const name in b) maximum[name] = Math.max(maximum[name] ?? 0, b[name] as number);
  return maximum;
}

/** The list without zero entries, keys sorted: a canonical form to compare and print. */
export function normalizeResources(list: ResourceList): ResourceList {
  // Most lists are already canonical (cpu then memory, none zero): returned as they are.
  let previous = "";
  let canonical = true;
  for (const name in list) {
    if (name <= previous || list[name] === 0) {
      canonical = false;
      break;
    }
    previous = name;
  }
  if (canonical) return list;
  const result: Record<string, number> = {};
  for (const name of Object.keys(list).sort()) {
    const amount = list[name] as number;
    if (amount !== 0) result[name] = amount;
  }
  return result;
}

/** Whether two lists hold the same amounts (a missing key equals zero). */
export function sameResources(a: ResourceList, b: ResourceList): boolean {
  for (const name of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if ((a[name] ?? 0) !== (b[name] ?? 0)) return false;
  }
  return true;
}
