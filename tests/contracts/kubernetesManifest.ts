/**
 * Shape checks of rendered Kubernetes manifests, from the API reference: the fields each kind
 * requires, name and label syntax, and the selectors that must agree. Not a full schema
 * validation (that needs a cluster's OpenAPI document); it catches what goes wrong in charts.
 */
const KINDS = new Map<string, string>([
  ['ServiceAccount', 'v1'],
  ['Secret', 'v1'],
  ['ConfigMap', 'v1'],
  ['Service', 'v1'],
  ['PersistentVolumeClaim', 'v1'],
  ['Deployment', 'apps/v1'],
  ['StatefulSet', 'apps/v1'],
  ['DaemonSet', 'apps/v1'],
  ['PodDisruptionBudget', 'policy/v1'],
  ['NetworkPolicy', 'networking.k8s.io/v1'],
  ['ClusterRole', 'rbac.authorization.k8s.io/v1'],
  ['ClusterRoleBinding', 'rbac.authorization.k8s.io/v1'],
  ['ServiceMonitor', 'monitoring.coreos.com/v1'],
  ['PodMonitor', 'monitoring.coreos.com/v1'],
  ['PrometheusRule', 'monitoring.coreos.com/v1'],
]);
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_KEY = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

export const isWorkload = (doc: any) => WORKLOADS.has(doc.kind);

/** Whether every label a selector asks for is on the object. */
export const selects = (selector: Record<string, string> | undefined, labels: Record<string, string> | undefined) =>
  !!selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels?.[k] === v);

/** Problems of one manifest, each naming kind/name and field; empty when its shape is right. */
export function checkManifest(doc: any): string[] {
  const where = `${doc.kind}/${doc.metadata?.name}`;
  const problems: string[] = [];
  const problem = (message: string) => problems.push(`${where}: ${message}`);

  if (!KINDS.has(doc.kind)) {
    return [`${where}: unexpected kind ${doc.kind}`];
  }
  if (doc.apiVersion !== KINDS.get(doc.kind)) {
    problem(`apiVersion ${doc.apiVersion}, expected ${KINDS.get(doc.kind)}`);
  }
  const name = doc.metadata?.name ?? '';
  const nameRule = doc.kind === 'Service' ? DNS_LABEL : DNS_SUBDOMAIN;
  if (!nameRule.test(name) || name.length > (doc.kind === 'Service' ? 63 : 253)) {
    problem(`metadata.name "${name}" is not a valid ${doc.kind} name`);
  }
  for (const [key, value] of Object.entries<string>(doc.metadata?.labels ?? {})) {
    if (!LABEL_KEY.test(key) || typeof value !== 'string' || value.length > 63 || !LABEL_VALUE.test(value)) {
      problem(`label ${key}=${JSON.stringify(value)} is not valid`);
    }
  }
  for (const key of ['app.kubernetes.io/name', 'app.kubernetes.io/instance', 'app.kubernetes.io/managed-by']) {
    if (!doc.metadata?.labels?.[key]) {
      problem(`recommended label ${key} missing`);
    }
  }

  switch (doc.kind) {
    case 'ConfigMap':
      for (const [key, value] of Object.entries(doc.data ?? {})) {
        if (typeof value !== 'string') {
          problem(`data.${key} must be a string`);
        }
        if (!/^[-._a-zA-Z0-9]+$/.test(key)) {
          problem(`data key ${key} is not valid`);
        }
      }
      break;
    case 'Secret':
      for (const [key, value] of Object.entries(doc.data ?? {})) {
        if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) {
          problem(`data.${key} is not base64`);
        }
      }
      break;
    case 'Service':
      if (!doc.spec?.ports?.length || doc.spec.ports.some((p: any) => !Number.isInteger(p.port))) {
        problem('spec.ports needs numeric ports');
      }
      break;
    case 'PersistentVolumeClaim':
      if (!doc.spec?.resources?.requests?.storage || !doc.spec?.accessModes?.length) {
        problem('spec.accessModes and spec.resources.requests.storage are required');
      }
      break;
    case 'NetworkPolicy':
      if (!doc.spec?.podSelector || !doc.spec?.policyTypes?.length) {
        problem('spec.podSelector and spec.policyTypes are required');
      }
      break;
    case 'ServiceMonitor':
      if (!doc.spec?.selector || !doc.spec?.endpoints?.length) {
        problem('spec.selector and spec.endpoints are required');
      }
      break;
    case 'PodMonitor':
      if (!doc.spec?.selector || !doc.spec?.podMetricsEndpoints?.length) {
        problem('spec.selector and spec.podMetricsEndpoints are required');
      }
      break;
    case 'PrometheusRule':
      if (!doc.spec?.groups?.length) {
        problem('spec.groups is required');
      }
      break;
    case 'ClusterRoleBinding':
      if (!doc.roleRef?.name || !doc.subjects?.length) {
        problem('roleRef and subjects are required');
      }
      break;
  }

  if (isWorkload(doc)) {
    const template = doc.spec?.template;
    if (!selects(doc.spec?.selector?.matchLabels, template?.metadata?.labels)) {
      problem('spec.selector.matchLabels does not select the pod template');
    }
    if (doc.kind === 'StatefulSet' && !doc.spec.serviceName) {
      problem('spec.serviceName is required');
    }
    const containers: any[] = template?.spec?.containers ?? [];
    if (containers.length === 0) {
      problem('no containers');
    }
    for (const container of containers) {
      if (!container.name || !/^[^:@]+(:[\w.-]+|@sha256:[a-f0-9]{64})$/.test(container.image ?? '')) {
        problem(`container ${container.name}: image "${container.image}" needs a tag or digest`);
      }
      if (!container.resources?.requests?.memory || !container.resources?.limits?.memory) {
        problem(`container ${container.name}: memory request and limit are required`);
      }
      for (const port of container.ports ?? []) {
        if (port.name && (port.name.length > 15 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(port.name))) {
          problem(`container ${container.name}: port name ${port.name} is not valid`);
        }
      }
      const mounts = new Set((template.spec.volumes ?? []).map((v: any) => v.name));
      for (const claim of doc.spec.volumeClaimTemplates ?? []) {
        mounts.add(claim.metadata.name);
      }
      for (const mount of container.volumeMounts ?? []) {
        if (!mounts.has(mount.name)) {
          problem(`container ${container.name}: volume ${mount.name} is mounted but not defined`);
        }
      }
    }
  }
  return problems;
}

/** Problems with a container's security context for a non-root, read-only workload. */
export function checkRestrictedContainer(pod: any, container: any): string[] {
  const problems: string[] = [];
  const sc = container.securityContext ?? {};
  const podSc = pod.securityContext ?? {};
  if (!(sc.runAsNonRoot ?? podSc.runAsNonRoot)) {
    problems.push(`${container.name}: runAsNonRoot is not set`);
  }
  if ((sc.runAsUser ?? podSc.runAsUser) === 0) {
    problems.push(`${container.name}: runs as uid 0`);
  }
  if (sc.readOnlyRootFilesystem !== true) {
    problems.push(`${container.name}: the root file system is writable`);
  }
  if (sc.allowPrivilegeEscalation !== false) {
    problems.push(`${container.name}: privilege escalation is allowed`);
  }
  if (sc.privileged) {
    problems.push(`${container.name}: privileged`);
  }
  if (!(sc.capabilities?.drop ?? []).includes('ALL')) {
    problems.push(`${container.name}: capabilities are not dropped`);
  }
  if ((podSc.seccompProfile ?? sc.seccompProfile)?.type !== 'RuntimeDefault') {
    problems.push(`${container.name}: no RuntimeDefault seccomp profile`);
  }
  return problems;
}
