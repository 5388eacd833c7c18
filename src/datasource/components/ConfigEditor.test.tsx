import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import { type DataSourceSettings } from '@grafana/data';

import type { SeismoOptions, SeismoSecureOptions } from '../types';
import { ConfigEditor } from './ConfigEditor';

type Settings = DataSourceSettings<SeismoOptions, SeismoSecureOptions>;

function settings(overrides: Partial<Settings> = {}): Settings {
  return {
    id: 1,
    uid: 'seismo',
    orgId: 1,
    name: 'Seismo',
    type: 'seismo-anomaly-datasource',
    typeName: 'Seismo Anomaly',
    typeLogoUrl: '',
    access: 'proxy',
    url: '',
    user: '',
    database: '',
    basicAuth: false,
    basicAuthUser: '',
    isDefault: false,
    readOnly: false,
    withCredentials: false,
    jsonData: { prometheusUrl: 'http://prometheus:9090' },
    secureJsonFields: {},
    ...overrides,
  } as Settings;
}

describe('ConfigEditor', () => {
  it('writes the Prometheus URL into jsonData', () => {
    const onOptionsChange = jest.fn();
    render(<ConfigEditor options={settings()} onOptionsChange={onOptionsChange} />);
    fireEvent.change(screen.getByDisplayValue('http://prometheus:9090'), { target: { value: 'http://mimir:8080' } });
    expect(onOptionsChange).toHaveBeenCalledWith(
      expect.objectContaining({ jsonData: expect.objectContaining({ prometheusUrl: 'http://mimir:8080' }) })
    );
  });

  it('writes a new sidecar token into secureJsonData only', () => {
    const onOptionsChange = jest.fn();
    const { container } = render(<ConfigEditor options={settings()} onOptionsChange={onOptionsChange} />);
    fireEvent.change(container.querySelector('#config-sidecar-token')!, { target: { value: 's3cret' } });
    const changed = onOptionsChange.mock.calls[0][0] as Settings;
    expect(changed.secureJsonData).toEqual({ sidecarToken: 's3cret' });
    expect(JSON.stringify(changed.jsonData)).not.toContain('s3cret');
  });

  it('shows a configured token as configured and lets the user reset it', () => {
    const onOptionsChange = jest.fn();
    render(
      <ConfigEditor
        options={settings({ secureJsonFields: { sidecarToken: true } })}
        onOptionsChange={onOptionsChange}
      />
    );
    // The stored secret is never shown, only that one is configured.
    expect(screen.getAllByDisplayValue('configured')).toHaveLength(1);
    fireEvent.click(screen.getByRole('button', { name: /reset/i }));
    const changed = onOptionsChange.mock.calls[0][0] as Settings;
    expect(changed.secureJsonFields).toEqual({ sidecarToken: false });
    expect(changed.secureJsonData).toEqual({ sidecarToken: '' });
  });

  it('asks for the basic-auth user and password only when basic authentication is chosen', () => {
    const { container, rerender } = render(<ConfigEditor options={settings()} onOptionsChange={jest.fn()} />);
    expect(container.querySelector('#config-prometheus-password')).toBeNull();
    rerender(
      <ConfigEditor
        options={settings({ jsonData: { prometheusUrl: 'http://p:9090', prometheusAuth: 'basic' } })}
        onOptionsChange={jest.fn()}
      />
    );
    expect(container.querySelector('#config-prometheus-user')).not.toBeNull();
    expect(container.querySelector('#config-prometheus-password')).not.toBeNull();
    expect(container.querySelector('#config-prometheus-bearer')).toBeNull();
  });

  it('resets a configured CA certificate without showing it', () => {
    const onOptionsChange = jest.fn();
    render(
      <ConfigEditor
        options={settings({ secureJsonFields: { tlsCACert: true, sidecarToken: true } })}
        onOptionsChange={onOptionsChange}
      />
    );
    const resets = screen.getAllByRole('button', { name: /reset/i });
    expect(resets).toHaveLength(2);
    fireEvent.click(resets[1]);
    const changed = onOptionsChange.mock.calls[0][0] as Settings;
    expect(changed.secureJsonFields).toEqual({ tlsCACert: false, sidecarToken: true });
    expect(changed.secureJsonData).toEqual({ tlsCACert: '' });
  });

  it('writes a pasted CA certificate into secureJsonData only', () => {
    const onOptionsChange = jest.fn();
    const { container } = render(<ConfigEditor options={settings()} onOptionsChange={onOptionsChange} />);
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
    fireEvent.change(container.querySelector('#config-tls-ca')!, { target: { value: pem } });
    const changed = onOptionsChange.mock.calls[0][0] as Settings;
    expect(changed.secureJsonData).toEqual({ tlsCACert: pem });
    expect(JSON.stringify(changed.jsonData)).not.toContain('BEGIN CERTIFICATE');
  });

  it('writes the timeout as a number and clears it to the default', () => {
    const onOptionsChange = jest.fn();
    const { container } = render(
      <ConfigEditor
        options={settings({ jsonData: { prometheusUrl: 'http://p:9090', timeoutSeconds: 30 } })}
        onOptionsChange={onOptionsChange}
      />
    );
    fireEvent.change(container.querySelector('#config-timeout')!, { target: { value: '60' } });
    expect((onOptionsChange.mock.calls[0][0] as Settings).jsonData.timeoutSeconds).toBe(60);
    fireEvent.change(container.querySelector('#config-timeout')!, { target: { value: '' } });
    expect((onOptionsChange.mock.calls[1][0] as Settings).jsonData.timeoutSeconds).toBeUndefined();
  });

  it.each([
    [{ prometheusUrl: '' }, 'required: the base URL of Prometheus'],
    [{ prometheusUrl: 'prometheus:9090' }, 'not an absolute http(s) URL; use e.g. http://prometheus:9090'],
    [{ prometheusUrl: 'http://admin:pw@prometheus:9090' }, 'must not contain credentials'],
    [{ prometheusUrl: 'http://prometheus:9090/api/v1' }, 'ends in /api/v1; give only the base URL'],
    [{ prometheusUrl: 'http://p:9090', sidecarUrl: 'seismo-sidecar' }, 'use e.g. http://seismo-sidecar:8080'],
    [{ prometheusUrl: 'http://p:9090', timeoutSeconds: 0 }, 'a whole number of seconds from 1 to 300'],
    [{ prometheusUrl: 'http://p:9090', prometheusAuth: 'basic' as const }, 'required for basic authentication'],
  ])('shows what is wrong with %j next to the field', (jsonData, message) => {
    render(<ConfigEditor options={settings({ jsonData })} onOptionsChange={jest.fn()} />);
    const alerts = screen.getAllByRole('alert').map((alert) => alert.textContent ?? '');
    expect(alerts.some((text) => text.includes(message))).toBe(true);
  });

  it('tells a pasted "Bearer " prefix apart from the token', () => {
    render(
      <ConfigEditor
        options={settings({ secureJsonData: { sidecarToken: 'Bearer abc' } })}
        onOptionsChange={jest.fn()}
      />
    );
    expect(screen.getByText(/enter only the token; the "Bearer " prefix is added for you/)).toBeInTheDocument();
  });

  it('shows no errors for valid settings', () => {
    render(
      <ConfigEditor
        options={settings({
          jsonData: {
            prometheusUrl: 'https://mimir.example.com/prometheus',
            sidecarUrl: 'http://seismo-sidecar:8080',
            timeoutSeconds: 60,
          },
        })}
        onOptionsChange={jest.fn()}
      />
    );
    expect(screen.queryAllByRole('alert')).toHaveLength(0);
  });
});
