/**
 * NOT RUN on machines without Docker: needs the docker compose stack (see playwright.config.ts).
 * In the demo scenario an alert fires and reaches the inbox: a fault is injected into the demo
 * mesh through its control API, the Grafana-managed rules fire, and the notification arrives in
 * Mailpit. Slow by nature (detector warm-up, incident accumulation): up to 40 minutes on a fresh
 * stack, a few minutes on one that has run for half an hour.
 */
import { expect, test } from '@grafana/plugin-e2e';

import { MAILPIT_URL, MESH_CONTROL_URL } from './stack.js';

const SEISMO_ALERTS = /^Seismo(ServiceAnomalous|IncidentSEV1|IncidentSEV2)$/;

test.describe('Seismo alerting in the demo scenario (docker compose stack)', () => {
  test.setTimeout(45 * 60_000);

  test('a fault in the mesh fires a Seismo alert that reaches the inbox', async ({ request }) => {
    const faultId = `e2e-${Date.now()}`;
    const injected = await request.post(`${MESH_CONTROL_URL}/faults`, {
      data: { id: faultId, type: 'dead', service: 'paymentservice', mode: 'hang', durationSeconds: 900 },
    });
    expect(injected.status(), await injected.text()).toBe(201);

    try {
      // Grafana's own view of its rules' alerts (Prometheus-compatible alerts API).
      await expect
        .poll(
          async () => {
            const answer = await request.get('/api/prometheus/grafana/api/v1/alerts');
            const body = (await answer.json()) as {
              data?: { alerts?: Array<{ state: string; labels: Record<string, string> }> };
            };
            return (body.data?.alerts ?? []).filter(
              (alert) => alert.state.toLowerCase() === 'alerting' && SEISMO_ALERTS.test(alert.labels.alertname ?? '')
            ).length;
          },
          { timeout: 40 * 60_000, intervals: [30_000] }
        )
        .toBeGreaterThan(0);

      // The notification, routed by team and severity, lands in the inbox.
      await expect
        .poll(
          async () => {
            const answer = await request.get(`${MAILPIT_URL}/api/v1/messages`);
            const body = (await answer.json()) as { messages?: Array<{ Subject: string }> };
            return (body.messages ?? []).some((message) =>
              /Seismo(ServiceAnomalous|IncidentSEV[12])/.test(message.Subject)
            );
          },
          { timeout: 5 * 60_000, intervals: [15_000] }
        )
        .toBe(true);
    } finally {
      await request.delete(`${MESH_CONTROL_URL}/faults/${faultId}`);
    }
  });
});
