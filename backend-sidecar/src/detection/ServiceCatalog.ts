import type { ServiceIdentityRecord } from '../adapters/IdentityReader.js';
import type { GridSeries } from './UnivariateBank.js';

export interface ServiceEntry {
  readonly service: string;
  namespace: string;
  /** Value of the owner label; "" when unknown. */
  team: string;
  labels: Readonly<Record<string, string>>;
  readonly firstSeen: number;
  lastSeen: number;
}

export interface EdgeEntry {
  readonly id: string;
  readonly client: string;
  readonly server: string;
  readonly firstSeen: number;
  lastSeen: number;
}

/**
 * What one read saw: services and edges with data and the time of their newest point, and (when
 * read) identities.
 */
export interface CatalogObservation {
  readonly services: ReadonlyMap<string, number>;
  readonly edges: Iterable<{
    readonly id: string;
    readonly client: string;
    readonly server: string;
    readonly at: number;
  }>;
  readonly identities: ReadonlyMap<string, ServiceIdentityRecord> | null;
}

export interface ServiceCatalogOptions {
  /** The identity label naming the owning team; read at each observation so a reload applies. */
  readonly ownerLabel: () => string;
  /** Names that are not services: callers outside the mesh and sides the telemetry could not name. */
  readonly notServices: (name: string) => boolean;
}

/** Whether a series observed at least one grid point. */
export function hasData(series: GridSeries | undefined): boolean {
  return series !== undefined && series.missing.some((m) => !m);
}

/**
 * Services and call edges discovered from telemetry, with each service's namespace, labels and
 * owning team from the identity templates. Entries not seen for `expireAfterSeconds` expire; the
 * caller then drops their detectors and series.
 */
export class ServiceCatalog {
  readonly #o: ServiceCatalogOptions;
  readonly #services = new Map<string, ServiceEntry>();
  readonly #edges = new Map<string, EdgeEntry>();

  constructor(options: ServiceCatalogOptions) {
    this.#o = options;
  }

  isService(name: string): boolean {
    return !this.#o.notServices(name);
  }

  observe(seen: CatalogObservation): void {
    for (const [service, at] of seen.services) {
      this.#touchService(service, at);
    }
    for (const edge of seen.edges) {
      let entry = this.#edges.get(edge.id);
      if (entry === undefined) {
        entry = { id: edge.id, client: edge.client, server: edge.server, firstSeen: edge.at, lastSeen: edge.at };
        this.#edges.set(edge.id, entry);
      }
      entry.lastSeen = Math.max(entry.lastSeen, edge.at);
      this.#touchService(edge.client, edge.at);
      this.#touchService(edge.server, edge.at);
    }
    if (seen.identities !== null) {
      const owner = this.#o.ownerLabel();
      for (const entry of this.#services.values()) {
        const identity = seen.identities.get(entry.service);
        if (identity !== undefined) {
          entry.namespace = identity.namespace !== '' ? identity.namespace : entry.namespace;
          entry.labels = identity.labels;
          entry.team = identity.labels[owner] ?? '';
        }
      }
    }
  }

  /** Removes entries not seen since `before`; returns what expired. */
  expire(before: number): { services: string[]; edges: string[] } {
    const services: string[] = [];
    const edges: string[] = [];
    for (const [name, entry] of this.#services) {
      if (entry.lastSeen < before) {
        this.#services.delete(name);
        services.push(name);
      }
    }
    for (const [id, entry] of this.#edges) {
      if (entry.lastSeen < before) {
        this.#edges.delete(id);
        edges.push(id);
      }
    }
    return { services, edges };
  }

  services(): IterableIterator<ServiceEntry> {
    return this.#services.values();
  }

  edges(): IterableIterator<EdgeEntry> {
    return this.#edges.values();
  }

  service(name: string): ServiceEntry | undefined {
    return this.#services.get(name);
  }

  edge(id: string): EdgeEntry | undefined {
    return this.#edges.get(id);
  }

  get serviceCount(): number {
    return this.#services.size;
  }

  /**
   * The service whose shard and selection an edge follows: its server (the callee, as a
   * service graph's server-side view), or the client when the server is not a service.
   */
  edgeOwner(edge: Pick<EdgeEntry, 'client' | 'server'>): string | null {
    if (this.isService(edge.server)) {
      return edge.server;
    }
    return this.isService(edge.client) ? edge.client : null;
  }

  #touchService(name: string, at: number): void {
    if (!this.isService(name)) {
      return;
    }
    const entry = this.#services.get(name);
    if (entry === undefined) {
      this.#services.set(name, { service: name, namespace: '', team: '', labels: {}, firstSeen: at, lastSeen: at });
    } else {
      entry.lastSeen = Math.max(entry.lastSeen, at);
    }
  }
}
