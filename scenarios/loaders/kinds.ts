/**
 * What Timoneiro does with each kind of object it meets in a manifest (the README's table).
 */

export type KindTreatment =
  /** Read into the simulation. */
  | { readonly treatment: "simulated" }
  /** Will be simulated (controllers, services …) but is not yet: reported and skipped. */
  | { readonly treatment: "planned"; readonly note: string }
  /** Has no bearing on scheduling here: reported and skipped. */
  | { readonly treatment: "ignored"; readonly note: string }
  /** Not something a v1.35 cluster accepts: an error. */
  | { readonly treatment: "refused"; readonly note: string };

const SIMULATED = new Set(["v1/Pod", "v1/Node", "scheduling.k8s.io/v1/PriorityClass", "v1/Service", "v1/Namespace", "policy/v1/PodDisruptionBudget", "apps/v1/Deployment", "apps/v1/ReplicaSet", "v1/ReplicationController", "apps/v1/DaemonSet", "apps/v1/StatefulSet", "batch/v1/Job", "batch/v1/CronJob"]);

const PLANNED: Readonly<Record<string, string>> = {
  "kubescheduler.config.k8s.io/v1/KubeSchedulerConfiguration": "a scheduler configuration is not a cluster object: pass it with --config",
};

const IGNORED_KINDS: Readonly<Record<string, string>> = {
  ConfigMap: "does not affect scheduling",
  Secret: "does not affect scheduling",
  ServiceAccount: "does not affect scheduling",
  Role: "RBAC does not affect scheduling",
  ClusterRole: "RBAC does not affect scheduling",
  RoleBinding: "RBAC does not affect scheduling",
  ClusterRoleBinding: "RBAC does not affect scheduling",
  StorageClass: "storage is not simulated",
  PersistentVolume: "storage is not simulated",
  PersistentVolumeClaim: "storage is not simulated",
  Ingress: "networking does not affect scheduling",
  IngressClass: "networking does not affect scheduling",
  NetworkPolicy: "networking does not affect scheduling",
  Endpoints: "networking does not affect scheduling",
  EndpointSlice: "networking does not affect scheduling",
  HorizontalPodAutoscaler: "autoscaling is not simulated",
  LimitRange: "LimitRange defaults are not applied: write requests on the pods",
  ResourceQuota: "quotas are not enforced",
  RuntimeClass: "RuntimeClasses are not read: write spec.overhead on the pods",
  CustomResourceDefinition: "custom resources are not simulated",
  MutatingWebhookConfiguration: "admission webhooks are not simulated",
  ValidatingWebhookConfiguration: "admission webhooks are not simulated",
};

/** Removed API versions: kubectl against a v1.35 cluster refuses them. */
const REMOVED: Readonly<Record<string, string>> = {
  "batch/v1beta1": "removed in Kubernetes v1.25; use batch/v1",
  "policy/v1beta1": "removed in Kubernetes v1.25; use policy/v1",
  "extensions/v1beta1": "removed in Kubernetes v1.16–v1.22; use apps/v1 or networking.k8s.io/v1",
  "apps/v1beta1": "removed in Kubernetes v1.16; use apps/v1",
  "apps/v1beta2": "removed in Kubernetes v1.16; use apps/v1",
  "scheduling.k8s.io/v1beta1": "removed in Kubernetes v1.22; use scheduling.k8s.io/v1",
  "kubescheduler.config.k8s.io/v1beta1": "removed in Kubernetes v1.26; use kubescheduler.config.k8s.io/v1",
  "kubescheduler.config.k8s.io/v1beta2": "removed in Kubernetes v1.28; use kubescheduler.config.k8s.io/v1",
  "kubescheduler.config.k8s.io/v1beta3": "removed in Kubernetes v1.29; use kubescheduler.config.k8s.io/v1",
};

/** What to do with an object of this apiVersion and kind. */
export function treatmentOf(apiVersion: string, kind: string): KindTreatment {
  const key = `${apiVersion}/${kind}`;
  if (SIMULATED.has(key)) return { treatment: "simulated" };
  const removed = REMOVED[apiVersion];
  if (removed !== undefined) return { treatment: "refused", note: `${kind} in apiVersion ${apiVersion}: ${removed}` };
  if (kind === "Policy" && apiVersion === "v1") {
    return { treatment: "refused", note: "kind Policy is the scheduler policy file removed in Kubernetes v1.23; write a KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1) instead" };
  }
  const planned = PLANNED[key];
  if (planned !== undefined) return { treatment: "planned", note: planned };
  const ignored = IGNORED_KINDS[kind];
  if (ignored !== undefined) return { treatment: "ignored", note: ignored };
  const group = apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "";
  if (group.includes(".") && !group.endsWith(".k8s.io")) {
    return { treatment: "ignored", note: `a custom resource (${apiVersion}); custom resources are not simulated` };
  }
  if (SIMULATED.has(`v1/${kind}`) || PLANNED[`apps/v1/${kind}`] || PLANNED[`batch/v1/${kind}`]) {
    return { treatment: "refused", note: `${kind} is not served in apiVersion ${JSON.stringify(apiVersion)} by Kubernetes v1.35` };
  }
  return { treatment: "refused", note: `unknown kind ${JSON.stringify(kind)} in apiVersion ${JSON.stringify(apiVersion)}` };
}
