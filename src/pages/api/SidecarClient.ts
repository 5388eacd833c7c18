import type {
  EdgesResponse,
  FeedbackInput,
  Feedback,
  ForecastsResponse,
  IncidentDetail,
  IncidentsResponse,
  ModelManifest,
  ModelsResponse,
  Selection,
  SelectionOverrides,
  ServicesResponse,
  SidecarStatus,
  TopologyResponse,
} from './sidecarTypes';
import type { Transport } from './Transport';

export interface IncidentQuery {
  state: 'open' | 'closed' | 'all';
  /** Start of the range in the sidecar's time syntax, e.g. `now-24h`. */
  from?: string;
}

/**
 * The sidecar's API as the app pages use it, always through the datasource's resource routes
 * (`/api/datasources/uid/<uid>/resources/...`): the datasource holds the sidecar URL and token,
 * so the browser never talks to the sidecar directly.
 */
export class SidecarClient {
  constructor(
    private readonly transport: Transport,
    readonly datasourceUid: string
  ) {}

  status(): Promise<SidecarStatus> {
    return this.get('sidecar/status');
  }

  services(): Promise<ServicesResponse> {
    return this.get('sidecar/services');
  }

  edges(): Promise<EdgesResponse> {
    return this.get('sidecar/edges');
  }

  topology(): Promise<TopologyResponse> {
    return this.get('sidecar/topology');
  }

  incidents({ state, from }: IncidentQuery): Promise<IncidentsResponse> {
    return this.get('sidecar/incidents', { state, ...(from ? { from } : {}) });
  }

  incident(id: string): Promise<IncidentDetail> {
    return this.get(`sidecar/incidents/${encodeURIComponent(id)}`);
  }

  models(): Promise<ModelsResponse> {
    return this.get('sidecar/models');
  }

  manifest(modelId: string): Promise<ModelManifest> {
    return this.get(`sidecar/models/${encodeURIComponent(modelId)}/manifest`);
  }

  forecasts(): Promise<ForecastsResponse> {
    return this.get('sidecar/forecasts');
  }

  selection(): Promise<Selection> {
    return this.get('sidecar/selection');
  }

  /** Replaces the include/exclude overrides; the sidecar persists them in its state directory. */
  saveSelection(overrides: SelectionOverrides): Promise<Selection> {
    return this.transport({ method: 'PUT', url: this.url('selection'), data: overrides });
  }

  sendFeedback(feedback: FeedbackInput): Promise<Feedback> {
    return this.transport({ method: 'POST', url: this.url('feedback'), data: feedback });
  }

  private get<T>(path: string, params?: Record<string, string>): Promise<T> {
    return this.transport<T>({ method: 'GET', url: this.url(path), ...(params ? { params } : {}) });
  }

  private url(path: string): string {
    return `/api/datasources/uid/${encodeURIComponent(this.datasourceUid)}/resources/${path}`;
  }
}
