{{- define "flightdeck.name" -}}{{ .Chart.Name }}{{- end -}}

{{- define "flightdeck.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}{{ .Release.Name | trunc 63 | trimSuffix "-" }}{{- else -}}{{ printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}{{- end -}}
{{- end -}}

{{- define "flightdeck.labels" -}}
app.kubernetes.io/name: {{ include "flightdeck.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "flightdeck.image" -}}
{{- $root := index . 0 -}}{{- $service := index . 1 -}}
{{ printf "%s/%s%s:%s" $root.Values.image.registry $root.Values.image.repositoryPrefix $service (default $root.Chart.AppVersion $root.Values.image.tag) }}
{{- end -}}

{{/* Environment of every component, the gateway included: listening, logging, auth. */}}
{{- define "flightdeck.commonEnv" -}}
- name: HOST
  value: "0.0.0.0"
- name: LOG_LEVEL
  value: {{ .Values.logLevel | quote }}
- name: AUTH_ISSUER
  value: {{ .Values.auth.issuer | quote }}
- name: AUTH_AUDIENCE
  value: {{ .Values.auth.audience | quote }}
{{- if .Values.auth.jwksUrl }}
- name: AUTH_JWKS_URL
  value: {{ .Values.auth.jwksUrl | quote }}
{{- else }}
- name: AUTH_JWT_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ required "auth.jwksUrl or auth.jwtSecretName must be set" .Values.auth.jwtSecretName }}
      key: jwt-secret
{{- end }}
{{- end -}}

{{/* Environment of the four subgraph services (not the gateway): NATS and the AI advisor. */}}
{{- define "flightdeck.serviceEnv" -}}
- name: NATS_URL
  value: {{ .Values.nats.url | quote }}
{{- if .Values.ai.baseUrl }}
- name: AI_BASE_URL
  value: {{ .Values.ai.baseUrl | quote }}
- name: AI_MODEL
  value: {{ .Values.ai.model | quote }}
{{- if .Values.ai.apiKeySecretName }}
- name: AI_API_KEY
  valueFrom:
    secretKeyRef:
      name: {{ .Values.ai.apiKeySecretName }}
      key: api-key
{{- end }}
{{- end }}
{{- end -}}

{{- define "flightdeck.probes" -}}
livenessProbe:
  httpGet: { path: /healthz, port: http }
  periodSeconds: 10
readinessProbe:
  httpGet: { path: /readyz, port: http }
  periodSeconds: 5
{{- end -}}
