/**
 * The workload name the mesh gives to requests from RunningMesh.send, i.e. the load generator.
 * Online Boutique's load generator is a Deployment of that name, so telemetry of the real system
 * and of the demo name the external client the same way (Istio source_workload, service-graph
 * client).
 */
export const LOAD_GENERATOR_WORKLOAD = 'loadgenerator';
