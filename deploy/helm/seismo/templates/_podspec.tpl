{{/*
Pod template of the sidecar, shared by the Deployment and the StatefulSet.
Argument: (dict "root" $ "sharded" <bool>).
*/}}
{{- define "seismo.podTemplate" -}}
{{- $root := .root -}}
metadata:
  labels:
    {{- include "seismo.selectorLabels" $root | nindent 4 }}
    {{- with $root.Values.podLabels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  annotations:
    # A new token needs a restart; config changes are reloaded by the sidecar itself.
    checksum/token: {{ include (print $root.Template.BasePath "/secret.yaml") $root | sha256sum }}
    {{- with $root.Values.podAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  serviceAccountName: {{ include "seismo.fullname" $root }}
  automountServiceAccountToken: false
  {{- with $root.Values.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $root.Values.priorityClassName }}
  priorityClassName: {{ . }}
  {{- end }}
  securityContext:
    {{- toYaml $root.Values.podSecurityContext | nindent 4 }}
  terminationGracePeriodSeconds: {{ $root.Values.terminationGracePeriodSeconds }}
  containers:
    - name: sidecar
      image: {{ include "seismo.image" $root }}
      imagePullPolicy: {{ $root.Values.image.pullPolicy }}
      {{- if .sharded }}
      # Each pod reads the config of its own shard, chosen by its ordinal.
      args: ["--config", "{{ include "seismo.configDir" $root }}/shard-$(SEISMO_SHARD_INDEX).yaml"]
      {{- else }}
      args: ["--config", "{{ include "seismo.configDir" $root }}/config.yaml"]
      {{- end }}
      {{- if or .sharded $root.Values.extraEnv }}
      env:
        {{- if .sharded }}
        - name: SEISMO_SHARD_INDEX
          valueFrom:
            fieldRef:
              fieldPath: metadata.labels['apps.kubernetes.io/pod-index']
        {{- end }}
        {{- with $root.Values.extraEnv }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      {{- end }}
      ports:
        - name: http
          containerPort: {{ $root.Values.service.port }}
          protocol: TCP
      startupProbe:
        httpGet:
          path: /healthz
          port: http
        periodSeconds: 5
        failureThreshold: 24
      livenessProbe:
        httpGet:
          path: /healthz
          port: http
        periodSeconds: 20
        timeoutSeconds: 5
        failureThreshold: 3
      readinessProbe:
        httpGet:
          path: /readyz
          port: http
        periodSeconds: 15
        timeoutSeconds: 5
        failureThreshold: 2
      resources:
        {{- toYaml $root.Values.resources | nindent 8 }}
      securityContext:
        {{- toYaml $root.Values.securityContext | nindent 8 }}
      volumeMounts:
        - name: config
          mountPath: {{ include "seismo.configDir" $root }}
          readOnly: true
        - name: token
          mountPath: {{ include "seismo.tokenDir" $root }}
          readOnly: true
        - name: state
          mountPath: {{ include "seismo.stateDir" $root }}
        - name: tmp
          mountPath: /tmp
  volumes:
    - name: config
      configMap:
        name: {{ include "seismo.fullname" $root }}
    - name: token
      secret:
        secretName: {{ include "seismo.apiTokenSecret" $root }}
        items:
          - key: {{ include "seismo.apiTokenKey" $root }}
            path: {{ include "seismo.apiTokenKey" $root }}
    - name: tmp
      emptyDir:
        sizeLimit: 64Mi
    {{- if not .sharded }}
    - name: state
      {{- if $root.Values.persistence.enabled }}
      persistentVolumeClaim:
        claimName: {{ include "seismo.fullname" $root }}
      {{- else }}
      emptyDir: {}
      {{- end }}
    {{- end }}
  {{- with $root.Values.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $root.Values.affinity }}
  affinity:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $root.Values.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}
