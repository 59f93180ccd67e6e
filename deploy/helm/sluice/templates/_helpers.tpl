{{/* The chart's name, or nameOverride. */}}
{{- define "sluice.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release's full name: <release>-sluice, or just <release> when it already says sluice. */}}
{{- define "sluice.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "sluice.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "sluice.labels" -}}
helm.sh/chart: {{ include "sluice.chart" . }}
{{ include "sluice.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "sluice.selectorLabels" -}}
app.kubernetes.io/name: {{ include "sluice.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* The ServiceAccount the pods run as; an EKS Pod Identity association names this one. */}}
{{- define "sluice.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "sluice.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "sluice.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion | toString) }}
{{- end }}

{{/* The Secret holding the admin token and the encryption key: the operator's, or the chart's. */}}
{{- define "sluice.authSecretName" -}}
{{- .Values.auth.existingSecret | default (include "sluice.fullname" .) }}
{{- end }}

{{/* "true" when the database is PostgreSQL: a postgres:// URL, a Host=/Server= connection string, or a secret reference (taken to be one). */}}
{{- define "sluice.postgres" -}}
{{- if .Values.database.existingSecret }}true
{{- else if regexMatch "(?i)^postgres(ql)?://|(^|;)\\s*(host|server)\\s*=" (.Values.database.url | default "") }}true
{{- end }}
{{- end }}

{{/* The PersistentVolumeClaim for /data. */}}
{{- define "sluice.claimName" -}}
{{- .Values.persistence.existingClaim | default (printf "%s-data" (include "sluice.fullname" .)) }}
{{- end }}

{{/* "true" when artifactsStore or connections names at least one artifact store. */}}
{{- define "sluice.storesEnabled" -}}
{{- if or .Values.artifactsStore .Values.connections }}true{{- end }}
{{- end }}

{{/* The ConfigMap holding stores.yaml. */}}
{{- define "sluice.storesConfigName" -}}
{{- printf "%s-stores" (include "sluice.fullname" .) }}
{{- end }}

{{/* Trusted JWT issuers are configured (identities.issuers is not empty). */}}
{{- define "sluice.identitiesEnabled" -}}
{{- if and .Values.identities .Values.identities.issuers }}true{{ end }}
{{- end }}

{{- define "sluice.identitiesConfigName" -}}
{{- printf "%s-identities" (include "sluice.fullname" .) }}
{{- end }}

{{/* The identities file as the server reads it (SLUICE_IDENTITIES). */}}
{{- define "sluice.identitiesYaml" -}}
{{- toYaml (dict "issuers" .Values.identities.issuers) }}
{{- end }}

{{/* Where stores.yaml is mounted (a directory mount, so that nothing is mounted inside another read-only volume). */}}
{{- define "sluice.storesConfigDir" -}}
/etc/sluice/config
{{- end }}

{{/* The secrets directory (SLUICE_SECRETS_DIR), without a trailing slash. */}}
{{- define "sluice.secretsDir" -}}
{{- .Values.secretsDir | default "/etc/sluice/secrets" | trimSuffix "/" }}
{{- end }}

{{/*
The file SLUICE_CONFIG points at: artifactsStore and connections exactly as the values give them
(the seed's shape), each key only when set.
*/}}
{{- define "sluice.storesYaml" -}}
{{- $stores := dict }}
{{- with .Values.artifactsStore }}
{{- $_ := set $stores "artifactsStore" . }}
{{- end }}
{{- with .Values.connections }}
{{- $_ := set $stores "connections" . }}
{{- end }}
{{- toYaml $stores }}
{{- end }}

{{/*
The distinct Secret names that artifactsStore and connections name (secret.name), in order of
first appearance, as a JSON list (read it back with fromJsonArray). Each one is mounted at
<secretsDir>/<name>; stores without a secret use the pod's AWS credential chain.
*/}}
{{- define "sluice.storeSecretNames" -}}
{{- $names := list }}
{{- $stores := list }}
{{- if kindIs "map" .Values.artifactsStore }}
{{- $stores = append $stores .Values.artifactsStore }}
{{- end }}
{{- if kindIs "slice" .Values.connections }}
{{- $stores = concat $stores .Values.connections }}
{{- end }}
{{- range $stores }}
{{- if and (kindIs "map" .) (kindIs "map" .secret) }}
{{- if .secret.name }}
{{- $names = append $names (toString .secret.name) }}
{{- end }}
{{- end }}
{{- end }}
{{- $names | uniq | toJson }}
{{- end }}

{{/* Stops the render on artifactsStore / connections that the server would refuse. */}}
{{- define "sluice.validateStores" -}}
{{- $stores := list }}
{{- with .Values.artifactsStore }}
{{- if not (kindIs "map" .) }}
{{- fail "artifactsStore must be one store, a map (name, kind: s3, schema.bucket, secret.name), as the seed writes it; several stores go in connections, a list of the same" }}
{{- end }}
{{- $stores = append $stores (dict "where" "artifactsStore" "store" .) }}
{{- end }}
{{- with .Values.connections }}
{{- if not (kindIs "slice" .) }}
{{- fail "connections must be a list of stores, each of the artifactsStore shape (name, kind: s3, schema.bucket, secret.name)" }}
{{- end }}
{{- range $i, $c := . }}
{{- $stores = append $stores (dict "where" (printf "connections[%d]" $i) "store" $c) }}
{{- end }}
{{- end }}
{{- $seen := dict }}
{{- range $stores }}
{{- $where := .where }}
{{- $s := .store }}
{{- if not (kindIs "map" $s) }}
{{- fail (printf "%s: a store is a map (name, kind: s3, schema.bucket, secret.name)" $where) }}
{{- end }}
{{- if not (and (kindIs "string" $s.name) $s.name) }}
{{- fail (printf "%s: every store needs a name (name: s3-artifacts)" $where) }}
{{- end }}
{{- if or (not (regexMatch "^[A-Za-z0-9._-]{1,64}$" $s.name)) (has $s.name (list "." "..")) }}
{{- fail (printf "%s: the store name %q must be 1 to 64 letters, digits, '.', '_' or '-' (and not . or ..)" $where $s.name) }}
{{- end }}
{{- if hasKey $seen $s.name }}
{{- fail (printf "%s: the store name %q is used twice (%s and %s): store names must be unique across artifactsStore and connections" $where $s.name (get $seen $s.name) $where) }}
{{- end }}
{{- $_ := set $seen $s.name $where }}
{{- if ne (toString $s.kind) "s3" }}
{{- fail (printf "%s (%s): kind must be s3 (got %q)" $where $s.name (toString ($s.kind | default ""))) }}
{{- end }}
{{- $bucket := "" }}
{{- if kindIs "map" $s.schema }}
{{- $bucket = toString ($s.schema.bucket | default "") }}
{{- end }}
{{- if not (regexMatch "^s3://[^/]+" $bucket) }}
{{- fail (printf "%s (%s): schema.bucket must be \"s3://BUCKET/\" or \"s3://BUCKET/PREFIX/\" (got %q)" $where $s.name $bucket) }}
{{- end }}
{{- if hasKey $s "configMap" }}
{{- fail (printf "%s (%s): configMap is not supported: put the AWS_* keys in a Secret and name it in secret.name" $where $s.name) }}
{{- end }}
{{- /* The server refuses keys it does not know (a typo would otherwise go unnoticed). */}}
{{- range $key := keys $s | sortAlpha }}
{{- if not (has $key (list "name" "kind" "schema" "secret" "description")) }}
{{- fail (printf "%s (%s): %s is not a known key (expected name, kind, schema, secret, description)" $where $s.name $key) }}
{{- end }}
{{- end }}
{{- if kindIs "map" $s.schema }}
{{- range $key := keys $s.schema | sortAlpha }}
{{- if ne $key "bucket" }}
{{- fail (printf "%s (%s): schema.%s is not a known key (expected bucket)" $where $s.name $key) }}
{{- end }}
{{- end }}
{{- end }}
{{- if kindIs "map" $s.secret }}
{{- range $key := keys $s.secret | sortAlpha }}
{{- if ne $key "name" }}
{{- fail (printf "%s (%s): secret.%s is not a known key (expected name; the chart mounts the Secret at <secretsDir>/<name>)" $where $s.name $key) }}
{{- end }}
{{- end }}
{{- end }}
{{- if hasKey $s "secret" }}
{{- $secretName := "" }}
{{- if kindIs "map" $s.secret }}
{{- $secretName = toString ($s.secret.name | default "") }}
{{- end }}
{{- if not $secretName }}
{{- fail (printf "%s (%s): secret needs a name (secret: {name: s3-secret}); leave secret out to use the pod's AWS role (IRSA or EKS Pod Identity)" $where $s.name) }}
{{- end }}
{{- if or (gt (len $secretName) 253) (not (regexMatch "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$" $secretName)) }}
{{- fail (printf "%s (%s): secret.name %q is not a valid Kubernetes Secret name (lower-case letters, digits, '-' and '.')" $where $s.name $secretName) }}
{{- end }}
{{- end }}
{{- end }}
{{- if $stores }}
{{- $dir := include "sluice.secretsDir" . }}
{{- if not (and (hasPrefix "/" $dir) (ne $dir "/")) }}
{{- fail (printf "secretsDir must be an absolute path other than /, not %q" (toString .Values.secretsDir)) }}
{{- end }}
{{- range list "/data" "/tmp" "/app" (include "sluice.storesConfigDir" .) }}
{{- if or (eq $dir .) (hasPrefix (printf "%s/" .) $dir) (hasPrefix (printf "%s/" $dir) .) }}
{{- fail (printf "secretsDir %q must not overlap %s (be it, hold it or lie inside it)" $dir .) }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}

{{/* Stops the render with a clear message on values that cannot work. */}}
{{- define "sluice.validate" -}}
{{- if not .Values.auth.existingSecret }}
{{- if not (and .Values.auth.adminToken .Values.auth.encryptionKey) }}
{{- fail "auth: set auth.existingSecret to a Secret holding the admin token and the encryption key (see values.yaml for the kubectl command), or give both auth.adminToken and auth.encryptionKey inline" }}
{{- end }}
{{- if ne (len (b64dec .Values.auth.encryptionKey)) 32 }}
{{- fail "auth.encryptionKey must be base64 of exactly 32 bytes (openssl rand -base64 32)" }}
{{- end }}
{{- end }}
{{- if and .Values.database.url .Values.database.existingSecret }}
{{- fail "database: set database.url or database.existingSecret, not both" }}
{{- end }}
{{- if gt (int .Values.replicaCount) 1 }}
{{- if not (include "sluice.postgres" .) }}
{{- fail "replicaCount > 1 needs PostgreSQL (database.url or database.existingSecret): with SQLite each pod keeps its own database in its own /data" }}
{{- end }}
{{- if .Values.persistence.enabled }}
{{- fail "persistence is for a single replica on SQLite; with PostgreSQL and several replicas leave persistence.enabled false (/data then holds nothing that must survive)" }}
{{- end }}
{{- end }}
{{- include "sluice.validateStores" . }}
{{- end }}
