/**
 * The field names of the Kubernetes v1 objects Timoneiro reads (k8s.io/api v1.35 `json` tags),
 * used to report unknown fields: a typo such as `resource:` for `resources:` silently makes a
 * pod request nothing, which would falsify a capacity answer (DESIGN.md "Loading manifests").
 *
 * Structures Timoneiro does not interpret (volumes, probes, security contexts, env …) are `any`:
 * they are accepted as they are, not checked field by field.
 */

export type FieldSchema =
  | { readonly type: "object"; readonly name: string; readonly fields: Readonly<Record<string, FieldSchema>> }
  | { readonly type: "list"; readonly items: FieldSchema }
  | { readonly type: "map"; readonly values: FieldSchema }
  | { readonly type: "scalar" }
  | { readonly type: "any" };

const SCALAR: FieldSchema = { type: "scalar" };
const ANY: FieldSchema = { type: "any" };
const list = (items: FieldSchema): FieldSchema => ({ type: "list", items });
const map = (values: FieldSchema): FieldSchema => ({ type: "map", values });
const object = (name: string, fields: Record<string, FieldSchema>): FieldSchema => ({ type: "object", name, fields });
const scalars = (...names: string[]): Record<string, FieldSchema> =>
  Object.fromEntries(names.map((name) => [name, SCALAR]));
const anys = (...names: string[]): Record<string, FieldSchema> => Object.fromEntries(names.map((name) => [name, ANY]));

export const OBJECT_META = object("ObjectMeta", {
  ...scalars("name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation",
    "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds"),
  labels: map(SCALAR),
  annotations: map(SCALAR),
  finalizers: list(SCALAR),
  ...anys("ownerReferences", "managedFields"),
});

const QUANTITIES = map(SCALAR);

const RESOURCE_REQUIREMENTS = object("ResourceRequirements", {
  limits: QUANTITIES,
  requests: QUANTITIES,
  claims: ANY,
});

const CONTAINER_PORT = object("ContainerPort", scalars("name", "hostPort", "containerPort", "protocol", "hostIP"));

const CONTAINER = object("Container", {
  ...scalars("name", "image", "workingDir", "terminationMessagePath", "terminationMessagePolicy", "imagePullPolicy",
    "stdin", "stdinOnce", "tty", "restartPolicy"),
  command: list(SCALAR),
  args: list(SCALAR),
  ports: list(CONTAINER_PORT),
  resources: RESOURCE_REQUIREMENTS,
  ...anys("envFrom", "env", "resizePolicy", "restartPolicyRules", "volumeMounts", "volumeDevices", "livenessProbe",
    "readinessProbe", "startupProbe", "lifecycle", "securityContext", "stopSignal"),
});

const LABEL_SELECTOR_REQUIREMENT = object("LabelSelectorRequirement", { ...scalars("key", "operator"), values: list(SCALAR) });
const LABEL_SELECTOR = object("LabelSelector", {
  matchLabels: map(SCALAR),
  matchExpressions: list(LABEL_SELECTOR_REQUIREMENT),
});

const NODE_SELECTOR_REQUIREMENT = object("NodeSelectorRequirement", { ...scalars("key", "operator"), values: list(SCALAR) });
const NODE_SELECTOR_TERM = object("NodeSelectorTerm", {
  matchExpressions: list(NODE_SELECTOR_REQUIREMENT),
  matchFields: list(NODE_SELECTOR_REQUIREMENT),
});
const NODE_AFFINITY = object("NodeAffinity", {
  requiredDuringSchedulingIgnoredDuringExecution: object("NodeSelector", { nodeSelectorTerms: list(NODE_SELECTOR_TERM) }),
  preferredDuringSchedulingIgnoredDuringExecution: list(
    object("PreferredSchedulingTerm", { weight: SCALAR, preference: NODE_SELECTOR_TERM }),
  ),
});
const POD_AFFINITY_TERM = object("PodAffinityTerm", {
  labelSelector: LABEL_SELECTOR,
  namespaces: list(SCALAR),
  topologyKey: SCALAR,
  namespaceSelector: LABEL_SELECTOR,
  matchLabelKeys: list(SCALAR),
  mismatchLabelKeys: list(SCALAR),
});
const POD_AFFINITY_FIELDS = {
  requiredDuringSchedulingIgnoredDuringExecution: list(POD_AFFINITY_TERM),
  preferredDuringSchedulingIgnoredDuringExecution: list(
    object("WeightedPodAffinityTerm", { weight: SCALAR, podAffinityTerm: POD_AFFINITY_TERM }),
  ),
};
const AFFINITY = object("Affinity", {
  nodeAffinity: NODE_AFFINITY,
  podAffinity: object("PodAffinity", POD_AFFINITY_FIELDS),
  podAntiAffinity: object("PodAntiAffinity", POD_AFFINITY_FIELDS),
});

export const TOLERATION = object("Toleration", scalars("key", "operator", "value", "effect", "tolerationSeconds"));

const TOPOLOGY_SPREAD_CONSTRAINT = object("TopologySpreadConstraint", {
  ...scalars("maxSkew", "topologyKey", "whenUnsatisfiable", "minDomains", "nodeAffinityPolicy", "nodeTaintsPolicy"),
  labelSelector: LABEL_SELECTOR,
  matchLabelKeys: list(SCALAR),
});

export const POD_SPEC = object("PodSpec", {
  ...scalars("restartPolicy", "terminationGracePeriodSeconds", "activeDeadlineSeconds", "dnsPolicy",
    "serviceAccountName", "serviceAccount", "automountServiceAccountToken", "nodeName", "hostNetwork", "hostPID",
    "hostIPC", "shareProcessNamespace", "hostname", "subdomain", "schedulerName", "priorityClassName", "priority",
    "runtimeClassName", "enableServiceLinks", "preemptionPolicy", "setHostnameAsFQDN", "hostUsers", "hostnameOverride"),
  containers: list(CONTAINER),
  initContainers: list(CONTAINER),
  nodeSelector: map(SCALAR),
  affinity: AFFINITY,
  tolerations: list(TOLERATION),
  overhead: QUANTITIES,
  topologySpreadConstraints: list(TOPOLOGY_SPREAD_CONSTRAINT),
  schedulingGates: list(object("PodSchedulingGate", scalars("name"))),
  resources: RESOURCE_REQUIREMENTS,
  ...anys("volumes", "ephemeralContainers", "securityContext", "imagePullSecrets", "hostAliases", "dnsConfig",
    "readinessGates", "os", "resourceClaims", "workloadRef"),
});

const POD_STATUS = object("PodStatus", {
  ...scalars("phase", "message", "reason", "nominatedNodeName", "hostIP", "podIP", "startTime", "qosClass", "resize",
    "observedGeneration"),
  ...anys("conditions", "hostIPs", "podIPs", "initContainerStatuses", "containerStatuses",
    "ephemeralContainerStatuses", "resourceClaimStatuses", "extendedResourceClaimStatus"),
});

export const POD = object("Pod", {
  ...scalars("apiVersion", "kind"),
  metadata: OBJECT_META,
  spec: POD_SPEC,
  status: POD_STATUS,
});

export const TAINT = object("Taint", scalars("key", "value", "effect", "timeAdded"));

const NODE_STATUS = object("NodeStatus", {
  capacity: QUANTITIES,
  allocatable: QUANTITIES,
  phase: SCALAR,
  conditions: list(object("NodeCondition", scalars("type", "status", "lastHeartbeatTime", "lastTransitionTime", "reason", "message"))),
  ...anys("addresses", "daemonEndpoints", "nodeInfo", "images", "volumesInUse", "volumesAttached", "config",
    "runtimeHandlers", "features", "declaredFeatures"),
});

export const NODE = object("Node", {
  ...scalars("apiVersion", "kind"),
  metadata: OBJECT_META,
  spec: object("NodeSpec", {
    ...scalars("podCIDR", "providerID", "unschedulable", "externalID"),
    podCIDRs: list(SCALAR),
    taints: list(TAINT),
    configSource: ANY,
  }),
  status: NODE_STATUS,
});

