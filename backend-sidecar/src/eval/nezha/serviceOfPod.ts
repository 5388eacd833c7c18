/**
 * The workload a Kubernetes pod belongs to: Deployment pods are named
 * `<name>-<replicaset hash>-<pod hash>`, StatefulSet pods `<name>-<ordinal>`. Anything else is
 * taken as already being a service name.
 */
export function serviceOfPod(pod: string): string {
  const deployment = /^(.+)-[a-z0-9]{6,10}-[a-z0-9]{5}$/.exec(pod);
  if (deployment) {
    return deployment[1] as string;
  }
  const statefulSet = /^(.+)-\d+$/.exec(pod);
  return statefulSet ? (statefulSet[1] as string) : pod;
}
