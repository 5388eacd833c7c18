import React, { type ChangeEvent, type FormEvent } from 'react';
import { type DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { Combobox, Field, FieldSet, Input, SecretInput, SecretTextArea, Switch } from '@grafana/ui';

import { validateSettings } from '../settings/validateSettings';
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
  const problems = validateSettings(jsonData, { configured: secureJsonFields ?? {}, values: secureJsonData });

  const setJson = <K extends keyof SeismoOptions>(key: K, value: SeismoOptions[K]) =>
    onOptionsChange({ ...options, jsonData: { ...jsonData, [key]: value } });

  const setSecret = (key: keyof SeismoSecureOptions) => (event: FormEvent<HTMLInputElement | HTMLTextAreaElement>) =>
    onOptionsChange({ ...options, secureJsonData: { ...secureJsonData, [key]: event.currentTarget.value } });

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
          invalid={Boolean(problems.prometheusUrl)}
          error={problems.prometheusUrl}
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
            <Field label="User" invalid={Boolean(problems.prometheusUser)} error={problems.prometheusUser}>
              <Input
                id="config-prometheus-user"
                width={48}
                value={jsonData.prometheusUser ?? ''}
                onChange={(e: ChangeEvent<HTMLInputElement>) => setJson('prometheusUser', e.target.value)}
              />
            </Field>
            <Field label="Password" invalid={Boolean(problems.prometheusPassword)} error={problems.prometheusPassword}>
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
          <Field
            label="Bearer token"
            invalid={Boolean(problems.prometheusBearerToken)}
            error={problems.prometheusBearerToken}
          >
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
      </FieldSet>
      <FieldSet label="Seismo sidecar">
        <Field
          label="Sidecar URL"
          description="Needed for the live views: incident list and annotations, root causes, topology, signals. History comes from Prometheus"
          invalid={Boolean(problems.sidecarUrl)}
          error={problems.sidecarUrl}
        >
          <Input
            id="config-sidecar-url"
            width={48}
            value={jsonData.sidecarUrl ?? ''}
            placeholder="http://seismo-sidecar:8080"
            onChange={(e: ChangeEvent<HTMLInputElement>) => setJson('sidecarUrl', e.target.value)}
          />
        </Field>
        <Field
          label="Sidecar API token"
          description="The sidecar's api token (api.tokenFile or SEISMO_API_TOKEN); sent as a bearer token"
          invalid={Boolean(problems.sidecarToken)}
          error={problems.sidecarToken}
        >
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
      <FieldSet label="Connection">
        <Field
          label="Timeout"
          description="Seconds to wait for Prometheus or the sidecar; empty means 30"
          invalid={Boolean(problems.timeoutSeconds)}
          error={problems.timeoutSeconds}
        >
          <Input
            id="config-timeout"
            type="number"
            width={12}
            value={jsonData.timeoutSeconds ?? ''}
            placeholder="30"
            onChange={(e: ChangeEvent<HTMLInputElement>) =>
              setJson('timeoutSeconds', e.target.value === '' ? undefined : Number(e.target.value))
            }
          />
        </Field>
        <Field
          label="CA certificate"
          description="PEM certificate of a private CA that signed the Prometheus or sidecar certificate"
        >
          <SecretTextArea
            id="config-tls-ca"
            cols={64}
            rows={4}
            isConfigured={Boolean(secureJsonFields?.tlsCACert)}
            value={secureJsonData.tlsCACert ?? ''}
            onChange={setSecret('tlsCACert')}
            onReset={resetSecret('tlsCACert')}
          />
        </Field>
        <Field label="Skip TLS verification" description="Only for test setups with self-signed certificates">
          <Switch
            id="config-tls-skip-verify"
            value={Boolean(jsonData.tlsSkipVerify)}
            onChange={(e) => setJson('tlsSkipVerify', e.currentTarget.checked)}
          />
        </Field>
      </FieldSet>
    </>
  );
}
