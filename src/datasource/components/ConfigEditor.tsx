import React, { type ChangeEvent } from 'react';
import { type DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { Combobox, Field, FieldSet, Input, SecretInput, Switch } from '@grafana/ui';

import type { PrometheusAuth, SeismoOptions, SeismoSecureOptions } from '../types';

type Props = DataSourcePluginOptionsEditorProps<SeismoOptions, SeismoSecureOptions>;

const AUTH_OPTIONS: Array<{ value: PrometheusAuth; label: string }> = [
  { value: 'none', label: 'No authentication' },
  { value: 'basic', label: 'Basic authentication' },
  { value: 'bearer', label: 'Bearer token' },
];

export function ConfigEditor({ options, onOptionsChange }: Props) {
  const { jsonData, secureJsonFields } = options;
  const secureJsonData = options.secureJsonData ?? {};

  const setJson = <K extends keyof SeismoOptions>(key: K, value: SeismoOptions[K]) =>
    onOptionsChange({ ...options, jsonData: { ...jsonData, [key]: value } });

  const setSecret = (key: keyof SeismoSecureOptions) => (event: ChangeEvent<HTMLInputElement>) =>
    onOptionsChange({ ...options, secureJsonData: { ...secureJsonData, [key]: event.target.value } });

  // Resetting a secret clears the "configured" flag so the user can type a new value;
  // the stored value is only replaced when the settings are saved.
  const resetSecret = (key: keyof SeismoSecureOptions) => () =>
    onOptionsChange({
      ...options,
      secureJsonFields: { ...secureJsonFields, [key]: false },
      secureJsonData: { ...secureJsonData, [key]: '' },
    });

  const auth = jsonData.prometheusAuth ?? 'none';

  return (
    <>
      <FieldSet label="Prometheus">
        <Field
          label="Prometheus URL"
          description="Where the seismo_* series and the raw telemetry live, e.g. http://prometheus:9090"
          required
        >
          <Input
            id="config-prometheus-url"
            width={48}
            value={jsonData.prometheusUrl ?? ''}
            placeholder="http://prometheus:9090"
            onChange={(e: ChangeEvent<HTMLInputElement>) => setJson('prometheusUrl', e.target.value)}
          />
        </Field>
        <Field label="Authentication">
          <Combobox
            id="config-prometheus-auth"
            width={48}
            options={AUTH_OPTIONS}
            value={auth}
            onChange={(option) => setJson('prometheusAuth', option.value)}
          />
        </Field>
        {auth === 'basic' && (
          <>
            <Field label="User">
              <Input
                id="config-prometheus-user"
                width={48}
                value={jsonData.prometheusUser ?? ''}
                onChange={(e: ChangeEvent<HTMLInputElement>) => setJson('prometheusUser', e.target.value)}
              />
            </Field>
            <Field label="Password">
              <SecretInput
                id="config-prometheus-password"
                width={48}
                isConfigured={Boolean(secureJsonFields?.prometheusPassword)}
                value={secureJsonData.prometheusPassword ?? ''}
                onChange={setSecret('prometheusPassword')}
                onReset={resetSecret('prometheusPassword')}
              />
            </Field>
          </>
        )}
        {auth === 'bearer' && (
          <Field label="Bearer token">
            <SecretInput
              id="config-prometheus-bearer"
              width={48}
              isConfigured={Boolean(secureJsonFields?.prometheusBearerToken)}
              value={secureJsonData.prometheusBearerToken ?? ''}
              onChange={setSecret('prometheusBearerToken')}
              onReset={resetSecret('prometheusBearerToken')}
            />
          </Field>
        )}
        <Field label="Skip TLS verification" description="Only for test setups with self-signed certificates">
          <Switch
            id="config-tls-skip-verify"
            value={Boolean(jsonData.tlsSkipVerify)}
            onChange={(e) => setJson('tlsSkipVerify', e.currentTarget.checked)}
          />
        </Field>
      </FieldSet>
      <FieldSet label="Seismo sidecar">
        <Field
          label="Sidecar URL"
          description="Needed for live views (topology, explanations, feedback); history comes from Prometheus"
        >
          <Input
            id="config-sidecar-url"
            width={48}
            value={jsonData.sidecarUrl ?? ''}
            placeholder="http://seismo-sidecar:8080"
            onChange={(e: ChangeEvent<HTMLInputElement>) => setJson('sidecarUrl', e.target.value)}
          />
        </Field>
        <Field label="Sidecar API token">
          <SecretInput
            id="config-sidecar-token"
            width={48}
            isConfigured={Boolean(secureJsonFields?.sidecarToken)}
            value={secureJsonData.sidecarToken ?? ''}
            onChange={setSecret('sidecarToken')}
            onReset={resetSecret('sidecarToken')}
          />
        </Field>
      </FieldSet>
    </>
  );
}
