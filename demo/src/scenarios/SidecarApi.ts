/**
 * The few sidecar API answers a scenario reads (backend-sidecar/openapi.yaml), typed by the
 * fields it uses. Every call has a short timeout: a killed or hung sidecar must not stall the run.
 */
export interface SidecarStatus {
  readonly lastCycle: {
    readonly prometheusUp?: boolean;
    readonly durationSeconds?: number;
    readonly queries?: number;
  } | null;
  readonly services?: Readonly<Record<string, number>>;
}

export interface SidecarServiceStatus {
  readonly service: string;
  readonly state: string;
  readonly detector?: string;
  readonly score: number | null;
  readonly threshold: number | null;
  readonly anomalous: boolean | null;
  readonly accumulator: number;
  readonly topContributions?: ReadonlyArray<{ readonly signal: string; readonly share: number }>;
}

export interface SidecarEdgeStatus {
  readonly id: string;
  readonly state: string;
  readonly score: number | null;
  readonly anomalous: boolean | null;
  readonly accumulator: number;
  readonly contributions: Readonly<Record<string, number>> | null;
}

export interface SidecarForecastTarget {
  readonly scope: string;
  readonly service?: string;
  readonly signal: string;
  readonly state: string;
  readonly model: string | null;
  readonly anomalous: boolean | null;
  readonly mae: number | null;
  /** A ratio: 0.05 is 5 %. */
  readonly mape: number | null;
  readonly mase: number | null;
}

export interface SidecarIncident {
  readonly id: string;
  readonly state: 'open' | 'closed';
  readonly openedAt: number;
  readonly closedAt: number | null;
  readonly severity: string;
  readonly rootCause: string | null;
  readonly affectedEntities: readonly string[];
}

export interface SidecarIncidentDetail extends SidecarIncident {
  /** The rule that opened (and escalated) the incident, with its numbers. */
  readonly rule: string;
}

export class SidecarApiError extends Error {
  constructor(
    message: string,
    readonly status: number | null
  ) {
    super(message);
    this.name = 'SidecarApiError';
  }
}

export class SidecarApi {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    private readonly timeoutMs = 3000
  ) {}

  async #get(path: string): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        headers: { authorization: `Bearer ${this.token}` },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new SidecarApiError(`GET ${path}: ${(error as Error).message}`, null);
    }
    if (!response.ok) {
      const body = await response.text().catch(() => '');
      throw new SidecarApiError(`GET ${path}: HTTP ${response.status} ${body.slice(0, 300)}`, response.status);
    }
    return response;
  }

  async #json<T>(path: string): Promise<T> {
    return (await (await this.#get(path)).json()) as T;
  }

  status(): Promise<SidecarStatus> {
    return this.#json('/api/v1/status');
  }

  async services(): Promise<SidecarServiceStatus[]> {
    return (await this.#json<{ services: SidecarServiceStatus[] }>('/api/v1/services')).services;
  }

  async edges(): Promise<SidecarEdgeStatus[]> {
    return (await this.#json<{ edges: SidecarEdgeStatus[] }>('/api/v1/edges')).edges;
  }

  async forecasts(): Promise<SidecarForecastTarget[]> {
    return (await this.#json<{ targets: SidecarForecastTarget[] }>('/api/v1/forecasts')).targets;
  }

  async incidents(state: 'open' | 'all', fromUnix?: number): Promise<SidecarIncident[]> {
    const from = fromUnix === undefined ? '' : `&from=${Math.floor(fromUnix)}`;
    return (await this.#json<{ incidents: SidecarIncident[] }>(`/api/v1/incidents?state=${state}${from}`)).incidents;
  }

  async incident(id: string): Promise<SidecarIncidentDetail> {
    return this.#json(`/api/v1/incidents/${encodeURIComponent(id)}`);
  }

  /** Ranked services for an incident; empty when there is no ranking (yet). */
  async rootCause(incidentId: string): Promise<string[]> {
    try {
      const ranking = await this.#json<{ candidates: Array<{ service: string; rank: number }> }>(
        `/api/v1/rootcause?incidentId=${encodeURIComponent(incidentId)}`
      );
      return [...ranking.candidates].sort((a, b) => a.rank - b.rank).map((c) => c.service);
    } catch (error) {
      if (error instanceof SidecarApiError && error.status === 404) {
        return [];
      }
      throw error;
    }
  }

  async configHash(): Promise<string> {
    return (await this.#json<{ hash: string }>('/api/v1/config')).hash;
  }

  /** One unlabelled gauge from /metrics, or null when absent. */
  async gauge(name: string): Promise<number | null> {
    const text = await (await this.#get('/metrics')).text();
    const line = text.split('\n').find((l) => l.startsWith(`${name} `));
    return line === undefined ? null : Number(line.slice(name.length + 1));
  }
}
