{{/* Chart name, truncated to the 63 characters a label value allows. */}}
{{- define "seismo.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Release-qualified name; shortened so that derived names (-headless, -ebpf-agent) stay valid. */}}
{{- define "seismo.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 45 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 45 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 45 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Labels of every object of the release; add app.kubernetes.io/component to them. */}}
{{- define "seismo.commonLabels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "seismo.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: seismo
{{- end }}

{{/* Labels of the sidecar's objects. */}}
{{- define "seismo.labels" -}}
{{ include "seismo.commonLabels" . }}
app.kubernetes.io/component: sidecar
{{- end }}

{{- define "seismo.selectorLabels" -}}
app.kubernetes.io/name: {{ include "seismo.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: sidecar
{{- end }}

{{- define "seismo.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{- define "seismo.apiTokenSecret" -}}
{{- default (include "seismo.fullname" .) .Values.apiToken.existingSecret }}
{{- end }}

{{- define "seismo.apiTokenKey" -}}
{{- if .Values.apiToken.existingSecret }}{{ .Values.apiToken.existingSecretKey }}{{ else }}token{{ end }}
{{- end }}

{{/* Where the container finds its token, state and config (the image's layout). */}}
{{- define "seismo.tokenDir" -}}/var/run/secrets/seismo{{- end }}
{{- define "seismo.stateDir" -}}/var/lib/seismo{{- end }}
{{- define "seismo.configDir" -}}/etc/seismo{{- end }}

{{/*
The sidecar config for one replica: the user's `config` with the settings the chart owns on top.
Argument: (dict "root" $ "shard" <index or -1 when not sharded>).
*/}}
{{- define "seismo.sidecarConfig" -}}
{{- $root := .root }}
{{- $config := deepCopy ($root.Values.config | default dict) }}
{{- $prometheus := get $config "prometheus" | default dict }}
{{- $_ := set $prometheus "url" (required "prometheus.url is required: the URL of the Prometheus (or Mimir, Thanos) the sidecar reads" $root.Values.prometheus.url) }}
{{- $_ := set $config "prometheus" $prometheus }}
{{- $api := get $config "api" | default dict }}
{{- $_ := set $api "host" "0.0.0.0" }}
{{- $_ := set $api "port" ($root.Values.service.port | int) }}
{{- $_ := set $api "tokenFile" (printf "%s/%s" (include "seismo.tokenDir" $root) (include "seismo.apiTokenKey" $root)) }}
{{- $_ := set $config "api" $api }}
{{- $storage := get $config "storage" | default dict }}
{{- $_ := set $storage "stateDir" (include "seismo.stateDir" $root) }}
{{- $_ := set $config "storage" $storage }}
{{- if ge (.shard | int) 0 }}
{{- $_ := set $config "sharding" (dict "index" (.shard | int) "count" ($root.Values.sharding.replicas | int)) }}
{{- $incidents := get $config "incidents" | default dict }}
{{- $prefix := get $incidents "idPrefix" | default "inc-" }}
{{- $_ := set $incidents "idPrefix" (printf "%ss%d-" $prefix (.shard | int)) }}
{{- $_ := set $config "incidents" $incidents }}
{{- end }}
{{- toYaml $config }}
{{- end }}

{{/* The sidecar's URL inside the cluster. */}}
{{- define "seismo.serviceUrl" -}}
{{- printf "http://%s.%s.svc:%d" (include "seismo.fullname" .) .Release.Namespace (.Values.service.port | int) }}
{{- end }}
