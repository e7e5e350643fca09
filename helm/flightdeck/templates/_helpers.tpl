{{- define "flightdeck.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "flightdeck.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := include "flightdeck.name" . -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* The name of a component's objects: (list $ "gates") -> <fullname>-gates, at most 63 characters. */}}
{{- define "flightdeck.componentName" -}}
{{- $root := index . 0 -}}
{{- printf "%s-%s" (include "flightdeck.fullname" $root | trunc (int (sub 62 (len (index . 1))))) (index . 1) -}}
{{- end -}}

{{/* The four subgraph services, in the order of the gateway's supergraph, and every component's HTTP port. */}}
{{- define "flightdeck.subgraphs" -}}planning gates deployment analytics{{- end -}}
{{- define "flightdeck.components" -}}gateway planning gates deployment analytics{{- end -}}
{{- define "flightdeck.port" -}}
{{- get (dict "gateway" 4000 "planning" 4001 "gates" 4002 "deployment" 4003 "analytics" 4004) . -}}
{{- end -}}

{{/* Whether a component runs in this release: the gateway always does. */}}
{{- define "flightdeck.enabled" -}}
{{- $root := index . 0 -}}{{- $name := index . 1 -}}
{{- if or (eq $name "gateway") (get $root.Values $name).enabled }}true{{ end -}}
{{- end -}}

{{- define "flightdeck.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "flightdeck.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: flightdeck
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "flightdeck.selectorLabels" -}}
app.kubernetes.io/name: {{ include "flightdeck.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/*
metadata.labels and metadata.annotations of an object: (list $ "gates") for a component's, (list $ "") for a
release-wide one, with an optional third item (dict "labels" ... "annotations" ...) of this object's own, which win
over commonLabels and commonAnnotations.
*/}}
{{- define "flightdeck.metadata" -}}
{{- $root := index . 0 -}}{{- $component := index . 1 -}}
{{- $own := dict -}}
{{- if gt (len .) 2 }}{{ $own = index . 2 }}{{ end -}}
{{- $annotations := merge (deepCopy ($own.annotations | default dict)) $root.Values.commonAnnotations -}}
labels:
  {{- include "flightdeck.labels" $root | nindent 2 }}
  {{- if $component }}
  app.kubernetes.io/component: {{ $component }}
  {{- end }}
  {{- with $own.labels }}
  {{- toYaml . | nindent 2 }}
  {{- end }}
{{- with $annotations }}
annotations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{- define "flightdeck.image" -}}
{{- $root := index . 0 -}}{{- $service := index . 1 -}}
{{- printf "%s/%s%s:%s" $root.Values.image.registry $root.Values.image.repositoryPrefix $service (default $root.Chart.AppVersion $root.Values.image.tag) -}}
{{- end -}}

{{/* The Secret with AUTH_JWT_SECRET, AI_API_KEY, ALERTMANAGER_WEBHOOK_TOKEN and the Git webhooks' secrets: yours, or the chart's. */}}
{{- define "flightdeck.secretName" -}}
{{- .Values.existingSecret | default (printf "%s-secrets" (include "flightdeck.fullname" .)) -}}
{{- end -}}

{{/* The gateway's URL for a subgraph: its Service in this release, or the externalUrl of one run elsewhere ("" when neither). */}}
{{- define "flightdeck.subgraphUrl" -}}
{{- $root := index . 0 -}}{{- $name := index . 1 -}}
{{- if include "flightdeck.enabled" (list $root $name) -}}
{{- printf "http://%s:%s/graphql" (include "flightdeck.componentName" (list $root $name)) (include "flightdeck.port" $name) -}}
{{- else -}}
{{- (get $root.Values $name).externalUrl -}}
{{- end -}}
{{- end -}}
