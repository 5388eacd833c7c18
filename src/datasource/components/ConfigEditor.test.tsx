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
});
