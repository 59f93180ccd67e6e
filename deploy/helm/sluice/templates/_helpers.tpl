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
{{- end }}
