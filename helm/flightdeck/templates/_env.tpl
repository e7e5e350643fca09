{{/*
The environment of a component's container: (list $ "gates"). Every name is a variable of the service's config
schema (chart tests check each against it); secrets come from the Secret by key, never as values.
*/}}
{{- define "flightdeck.secretEnv" -}}
{{- dict "name" (index . 0) "valueFrom" (dict "secretKeyRef" (dict "name" (index . 1) "key" (index . 2) "optional" false)) | toYaml -}}
{{- end -}}

{{- define "flightdeck.env" -}}
{{- $root := index . 0 -}}{{- $name := index . 1 -}}
{{- $values := get $root.Values $name -}}
{{- $secret := include "flightdeck.secretName" $root -}}
{{- $env := list (dict "name" "HOST" "value" "0.0.0.0") (dict "name" "PORT" "value" (include "flightdeck.port" $name)) (dict "name" "LOG_LEVEL" "value" $root.Values.logLevel) -}}
{{- $env = append $env (dict "name" "AUTH_ISSUER" "value" $root.Values.auth.issuer) -}}
{{- $env = append $env (dict "name" "AUTH_AUDIENCE" "value" $root.Values.auth.audience) -}}
{{- if $root.Values.auth.jwksUrl -}}
{{- $env = append $env (dict "name" "AUTH_JWKS_URL" "value" $root.Values.auth.jwksUrl) -}}
{{- else -}}
{{- $env = append $env (include "flightdeck.secretEnv" (list "AUTH_JWT_SECRET" $secret "AUTH_JWT_SECRET") | fromYaml) -}}
{{- end -}}
{{- if eq $name "gateway" -}}
{{- range $subgraph := splitList " " (include "flightdeck.subgraphs" $root) -}}
{{- with include "flightdeck.subgraphUrl" (list $root $subgraph) -}}
{{- $env = append $env (dict "name" (printf "SUBGRAPH_%s_URL" (upper $subgraph)) "value" .) -}}
{{- end -}}
{{- end -}}
{{- with $values.corsOrigins -}}
{{- $env = append $env (dict "name" "GATEWAY_CORS_ORIGINS" "value" (join "," .)) -}}
{{- end -}}
{{- if $values.introspection -}}
{{- $env = append $env (dict "name" "GATEWAY_INTROSPECTION" "value" "true") -}}
{{- end -}}
{{- else -}}
{{- if $root.Values.mongodb.existingSecret -}}
{{- $env = append $env (include "flightdeck.secretEnv" (list "MONGODB_URI" $root.Values.mongodb.existingSecret (printf "%s.MONGODB_URI" $name)) | fromYaml) -}}
{{- else -}}
{{- $uri := printf "%s/flightdeck-%s" $root.Values.mongodb.uri $name -}}
{{- with $root.Values.mongodb.options }}{{ $uri = printf "%s?%s" $uri . }}{{ end -}}
{{- $env = append $env (dict "name" "MONGODB_URI" "value" $uri) -}}
{{- end -}}
{{- $env = append $env (dict "name" "NATS_URL" "value" $root.Values.nats.url) -}}
{{- if $root.Values.ai.baseUrl -}}
{{- $env = append $env (dict "name" "AI_BASE_URL" "value" $root.Values.ai.baseUrl) -}}
{{- $env = append $env (dict "name" "AI_MODEL" "value" $root.Values.ai.model) -}}
{{- if or $root.Values.existingSecret $root.Values.ai.apiKey -}}
{{- $env = append $env (include "flightdeck.secretEnv" (list "AI_API_KEY" $secret "AI_API_KEY") | fromYaml) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- if and (eq $name "gates") $root.Values.prometheus.url -}}
{{- $env = append $env (dict "name" "PROMETHEUS_URL" "value" $root.Values.prometheus.url) -}}
{{- end -}}
{{- if eq $name "deployment" -}}
{{- $env = append $env (dict "name" "PROMETHEUS_URL" "value" (required "prometheus.url: the deployment service analyses rollouts in Prometheus; set the URL of its HTTP API (or deployment.enabled=false)" $root.Values.prometheus.url)) -}}
{{- $env = append $env (dict "name" "POD_NAME" "valueFrom" (dict "fieldRef" (dict "fieldPath" "metadata.name"))) -}}
{{- /* The Lease is elected in the pod's own namespace, where the leader-election Role grants it; one per release. */ -}}
{{- $env = append $env (dict "name" "LEASE_NAMESPACE" "valueFrom" (dict "fieldRef" (dict "fieldPath" "metadata.namespace"))) -}}
{{- $env = append $env (dict "name" "LEASE_NAME" "value" (include "flightdeck.componentName" (list $root "deployment"))) -}}
{{- end -}}
{{- /* The Git hosts' webhooks, answered with the code-freeze decision. */ -}}
{{- if eq $name "planning" -}}
{{- range $key := list "GITHUB_WEBHOOK_SECRET" "GITLAB_WEBHOOK_TOKEN" -}}
{{- $env = append $env (include "flightdeck.secretEnv" (list $key $secret $key) | fromYaml) -}}
{{- end -}}
{{- range $variable := include "flightdeck.notifyEnv" $root | fromYamlArray -}}
{{- $env = append $env $variable -}}
{{- end -}}
{{- end -}}
{{- /* Both take Alertmanager's webhook: analytics records incidents, deployment rolls back rollouts naming the alert. */ -}}
{{- if or (eq $name "analytics") (eq $name "deployment") -}}
{{- $env = append $env (include "flightdeck.secretEnv" (list "ALERTMANAGER_WEBHOOK_TOKEN" $secret "ALERTMANAGER_WEBHOOK_TOKEN") | fromYaml) -}}
{{- end -}}
{{- $set := list -}}
{{- range $env }}{{ $set = append $set .name }}{{ end -}}
{{- range $variable, $value := $values.env -}}
{{- if has $variable $set -}}
{{- fail (printf "%s.env.%s: the chart sets %s itself; change it through the chart's own value instead (see values.yaml)" $name $variable $variable) -}}
{{- end -}}
{{- $env = append $env (dict "name" $variable "value" (toString $value)) -}}
{{- end -}}
{{- toYaml $env -}}
{{- end -}}

{{/*
Planning's notification settings: only those given are set (the service has defaults); the SMTP URL, which holds a
password, comes from a Secret by key: email.existingSecret, else the key NOTIFY_SMTP_URL of existingSecret or of the
chart's Secret (from email.smtpUrl).
*/}}
{{- define "flightdeck.notifyEnv" -}}
{{- $n := .Values.planning.notifications -}}
{{- $email := $n.email -}}
{{- $env := list -}}
{{- with $n.linkBaseUrl -}}
{{- $env = append $env (dict "name" "NOTIFY_LINK_BASE_URL" "value" .) -}}
{{- end -}}
{{- if $email.from -}}
{{- $env = append $env (dict "name" "NOTIFY_EMAIL_FROM" "value" $email.from) -}}
{{- if $email.existingSecret -}}
{{- $env = append $env (include "flightdeck.secretEnv" (list "NOTIFY_SMTP_URL" $email.existingSecret $email.existingSecretKey) | fromYaml) -}}
{{- else if and .Values.existingSecret $email.smtpUrl -}}
{{- fail "planning.notifications.email.smtpUrl: not used with existingSecret (the chart creates no Secret to put it in); put the key NOTIFY_SMTP_URL in that Secret, or name a Secret holding it in planning.notifications.email.existingSecret, and leave smtpUrl empty" -}}
{{- else if or .Values.existingSecret $email.smtpUrl -}}
{{- $env = append $env (include "flightdeck.secretEnv" (list "NOTIFY_SMTP_URL" (include "flightdeck.secretName" .) "NOTIFY_SMTP_URL") | fromYaml) -}}
{{- else -}}
{{- fail "planning.notifications.email.from: e-mail also needs its SMTP server; set planning.notifications.email.smtpUrl (smtp://user:pass@host:587), or planning.notifications.email.existingSecret naming a Secret that holds it (or the key NOTIFY_SMTP_URL in existingSecret)" -}}
{{- end -}}
{{- else if or $email.smtpUrl $email.existingSecret -}}
{{- fail "planning.notifications.email.from: missing, and an SMTP server is given (email.smtpUrl or email.existingSecret); set the From address of e-mail notifications, e.g. \"Flightdeck <flightdeck@example.com>\"" -}}
{{- end -}}
{{- range $key, $variable := dict "timeoutMs" "NOTIFY_TIMEOUT_MS" "maxAttempts" "NOTIFY_MAX_ATTEMPTS" "retryBaseMs" "NOTIFY_RETRY_BASE_MS" -}}
{{- $value := index $n $key -}}
{{- if not (kindIs "invalid" $value) -}}
{{- $env = append $env (dict "name" $variable "value" (int64 $value | toString)) -}}
{{- end -}}
{{- end -}}
{{- toYaml $env -}}
{{- end -}}
