/**
 * Services for people: `get services`, `get endpoints`, `describe service`, and a Service's
 * availability over a run — when it had no ready endpoint, and when it had fewer than its
 * workloads want — read from the events, tick by tick.
 */
import {
  clusterIP,
  isWorkload,
  SERVICE_WORKLOAD_KINDS,
  serviceSelects,
  serviceDnsName,
  serviceEndpoints,
  type ClusterEvent,
  type ClusterState,
  type ObjectState,
  type PodState,
  type Service,
} from "../../core/index.js";
import { formatTick, table } from "./format.js";
import { humanDuration } from "./workloads.js";
import { InputError } from "./output.js";

function services(state: ClusterState): [string, ObjectState][] {
  return Object.entries(state.objects).filter(([key]) => key.startsWith("Service/")).sort(([a], [b]) => a.localeCompare(b));
}

const shown = (service: Service) => (service.namespace === "default" ? service.name : `${service.namespace}/${service.name}`);

/** kubectl's PORT(S): `80/TCP`, `80:30080/TCP`, joined by commas; `<none>`. */
function ports(service: Service): string {
  return service.ports.map((port) => (port.nodePort !== undefined && port.nodePort > 0 ? `${port.port}:${port.nodePort}/${port.protocol}` : `${port.port}/${port.protocol}`)).join(",") || "<none>";
}

/** kubectl's EXTERNAL-IP for the types simulated: `<none>`, `<pending>` for a LoadBalancer, the external name. */
function externalIP(service: Service): string {
  if (service.type === "LoadBalancer") return "<pending>";
  if (service.type === "ExternalName") return service.externalName ?? "";
  const external = service.manifest["spec"] as Record<string, unknown> | undefined;
  const list = Array.isArray(external?.["externalIPs"]) ? (external["externalIPs"] as unknown[]).map(String) : [];
  return list.length > 0 ? list.join(",") : "<none>";
}

/** `get services`: NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE (`-o wide`: SELECTOR). */
export function servicesTable(state: ClusterState, now: number, wide: boolean): string {
  const rows = services(state).map(([, record]) => {
    const service = record.object as Service;
    const selector = service.selector === undefined ? "<none>" : Object.entries(service.selector).map(([key, value]) => `${key}=${value}`).join(",");
    return [shown(service), service.type, clusterIP(service, record.createdSeq), externalIP(service), ports(service), humanDuration(now - record.createdAt), ...(wide ? [selector] : [])];
  });
  return table(["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE", ...(wide ? ["SELECTOR"] : [])], rows);
}

/** kubectl's formatEndpoints: ready addresses as ip:port, at most 3, then "+ N more..."; `<none>` when there is no address at all. */
function formatEndpoints(service: Service, pods: readonly PodState[]): string {
  const all = serviceEndpoints(service, pods);
  if (all.length === 0) return "<none>";
  const ready = all.filter((endpoint) => endpoint.ready).map((endpoint) => (endpoint.port === undefined ? endpoint.ip : `${endpoint.ip}:${endpoint.port}`));
  return ready.length > 3 ? `${ready.slice(0, 3).join(",")} + ${ready.length - 3} more...` : ready.join(",");
}

/** `get endpoints`: NAME ENDPOINTS AGE. */
export function endpointsTable(state: ClusterState, now: number): string {
  const pods = Object.values(state.pods);
  const rows = services(state).filter(([, record]) => (record.object as Service).selector !== undefined).map(([, record]) => {
    const service = record.object as Service;
    return [shown(service), formatEndpoints(service, pods), humanDuration(now - record.createdAt)];
  });
  return table(["NAME", "ENDPOINTS", "AGE"], rows);
}

export interface Availability {
  /** What the Service's workloads want Ready (Σ replicas of the workloads whose template it selects), at the end. */
  readonly desired?: number;
  /** [from, to) intervals with no ready endpoint, and with fewer ready pods than desired. */
  readonly noEndpoint: readonly (readonly [number, number])[];
  readonly belowDesired: readonly (readonly [number, number])[];
}

interface Tracked {
  readonly readyAfter: boolean;
  started: boolean;
  ready: boolean;
  out: boolean;
}

/**
 * The Service's availability over the events (up to `until`), worked out from the events alone —
 * an account kept apart from the engine's state, so tests can compare the two: a pod counts from
 * the moment it is started and Ready (as it starts, or by `PodReadyChanged`), and stops counting
 * when its container exits, it finishes, or it is deleted.
 */
export function serviceAvailability(events: readonly ClusterEvent[], service: Service, until: number): Availability {
  const selects = (labels: Readonly<Record<string, string>>, namespace: string) => serviceSelects(service, namespace, labels);
  const pods = new Map<string, Tracked>();
  const workloads = new Map<string, number>();
  // The ready endpoints, kept as each pod changes (never a count over all pods).
  let ready = 0;
  const up = (pod: Tracked) => (pod.started && pod.ready && !pod.out ? 1 : 0);
  const change = (key: string, apply: (pod: Tracked) => void) => {
    const pod = pods.get(key);
    if (pod === undefined) return;
    const before = up(pod);
    apply(pod);
    ready += up(pod) - before;
  };
  const noEndpoint: [number, number][] = [];
  const belowDesired: [number, number][] = [];
  let noSince: number | undefined;
  let belowSince: number | undefined;
  let created: number | undefined;
  const close = (t: number) => {
    const desired = workloads.size === 0 ? undefined : [...workloads.values()].reduce((sum, value) => sum + value, 0);
    if (ready === 0 && noSince === undefined) noSince = t;
    if (ready > 0 && noSince !== undefined) {
      noEndpoint.push([noSince, t]);
      noSince = undefined;
    }
    const below = desired !== undefined && ready < desired;
    if (below && belowSince === undefined) belowSince = t;
    if (!below && belowSince !== undefined) {
      belowDesired.push([belowSince, t]);
      belowSince = undefined;
    }
  };
  let tick: number | undefined;
  for (const event of events) {
    if (event.t > until) break;
    if (tick !== undefined && event.t !== tick && created !== undefined) close(tick);
    tick = event.t;
    switch (event.type) {
      case "ObjectApplied":
        if (event.kind === "Service" && event.spec.kind === "Service" && event.spec.name === service.name && event.spec.namespace === service.namespace) created ??= event.t;
        if (isWorkload(event.spec) && SERVICE_WORKLOAD_KINDS.has(event.spec.kind) && event.spec.ownerReferences.length === 0 && selects(event.spec.template.labels, event.spec.namespace)) workloads.set(`${event.kind}/${event.object}`, event.spec.replicas);
        break;
      case "WorkloadScaled":
        if (workloads.has(`${event.kind}/${event.object}`)) workloads.set(`${event.kind}/${event.object}`, event.replicas);
        break;
      case "ObjectDeleted":
        workloads.delete(`${event.kind}/${event.object}`);
        break;
      case "PodCreated":
        if (selects(event.spec.labels, event.spec.namespace)) pods.set(event.pod, { readyAfter: event.spec.sim.readyAfterSeconds !== undefined, started: false, ready: false, out: false });
        break;
      case "PodStarted":
      case "ContainerRestarted":
        change(event.pod, (pod) => {
          pod.started = true;
          pod.ready = !pod.readyAfter;
        });
        break;
      case "PodReadyChanged":
        change(event.pod, (pod) => {
          pod.ready = event.ready;
        });
        break;
      case "ContainerFailed":
      case "ContainerCompleted":
        change(event.pod, (pod) => {
          pod.ready = false;
        });
        break;
      case "PodSucceeded":
      case "PodFailed":
      case "PodDeleted":
        change(event.pod, (pod) => {
          pod.out = true;
        });
        break;
      default:
        break;
    }
  }
  if (tick !== undefined && created !== undefined) close(tick);
  if (noSince !== undefined) noEndpoint.push([noSince, until]);
  if (belowSince !== undefined) belowDesired.push([belowSince, until]);
  const desired = workloads.size === 0 ? undefined : [...workloads.values()].reduce((sum, value) => sum + value, 0);
  return { ...(desired !== undefined ? { desired } : {}), noEndpoint, belowDesired };
}

function intervals(list: readonly (readonly [number, number])[]): string {
  if (list.length === 0) return "never";
  const total = list.reduce((sum, [from, to]) => sum + (to - from), 0);
  return `${list.map(([from, to]) => `${formatTick(from)}–${formatTick(to)}`).join(", ")} (${formatTick(total)} in all)`;
}

/** kubectl describe service, with its endpoints now and its availability over the run so far. */
export function describeService(state: ClusterState, events: readonly ClusterEvent[], name: string, namespace: string, now: number): string[] {
  const key = name.includes("/") ? `Service/${name}` : `Service/${namespace}/${name}`;
  const record = state.objects[key];
  if (record === undefined) throw new InputError(`services "${name.includes("/") ? name.slice(name.indexOf("/") + 1) : name}" not found at this tick`);
  const service = record.object as Service;
  const endpoints = serviceEndpoints(service, Object.values(state.pods));
  const ready = endpoints.filter((endpoint) => endpoint.ready);
  const availability = serviceAvailability(events, service, now);
  return [
    `Name:              ${service.name}`,
    `Namespace:         ${service.namespace}`,
    `Labels:            ${Object.entries(service.labels).map(([k, v]) => `${k}=${v}`).join(", ") || "<none>"}`,
    `Selector:          ${service.selector === undefined ? "<none>" : Object.entries(service.selector).map(([k, v]) => `${k}=${v}`).join(",")}`,
    `Type:              ${service.type}`,
    `IP:                ${clusterIP(service, record.createdSeq)}`,
    `DNS name:          ${serviceDnsName(service)}`,
    ...service.ports.map((port) => `Port:              ${port.name ?? "<unset>"}  ${port.port}/${port.protocol}  (TargetPort: ${port.targetPort}/${port.protocol})`),
    `Endpoints:         ${ready.length === 0 ? "<none>" : ready.map((endpoint) => (endpoint.port === undefined ? endpoint.ip : `${endpoint.ip}:${endpoint.port}`)).join(",")}`,
    `Not ready:         ${endpoints.length - ready.length}`,
    `Availability (0s–${formatTick(now)}):`,
    `  Desired:              ${availability.desired ?? "<no workload selected>"}`,
    `  No ready endpoint:    ${intervals(availability.noEndpoint)}`,
    ...(availability.desired === undefined ? [] : [`  Fewer than desired:   ${intervals(availability.belowDesired)}`]),
  ];
}
