{{/* Chart name, truncated to the 63 characters of a DNS label. */}}
{{- define "reconciler.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Fully qualified app name; the release name alone when it already contains the chart name. */}}
{{- define "reconciler.fullname" -}}
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

{{- define "reconciler.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "reconciler.labels" -}}
helm.sh/chart: {{ include "reconciler.chart" . }}
{{ include "reconciler.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: reconciler
{{- end }}

{{/* Selector labels never change between upgrades (Deployment selectors are immutable). */}}
{{- define "reconciler.selectorLabels" -}}
app.kubernetes.io/name: {{ include "reconciler.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: operator
{{- end }}

{{- define "reconciler.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "reconciler.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "reconciler.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/*
What the operator does in a watched namespace. The custom kinds are read from the chart's crds/
(generated from the resource catalog), so a new kind is covered without editing this list.
The operator never creates or deletes custom resources (git does); it reads them, updates
finalizers and status, reads the token Secrets they reference, and records events about them.
*/}}
{{- define "reconciler.operatorRules" -}}
{{- $byGroup := dict }}
{{- range $path, $_ := .Files.Glob "crds/*.yaml" }}
{{- $crd := $.Files.Get $path | fromYaml }}
{{- $plurals := get $byGroup $crd.spec.group | default list }}
{{- $_ := set $byGroup $crd.spec.group (append $plurals $crd.spec.names.plural) }}
{{- end }}
{{- if not $byGroup }}
{{- fail "the chart's crds/ folder has no CustomResourceDefinitions: copy crds/*.yaml into charts/reconciler/crds/" }}
{{- end }}
{{- range $group, $plurals := $byGroup }}
- apiGroups: [{{ $group | quote }}]
  resources:
    {{- range sortAlpha $plurals }}
    - {{ . }}
    {{- end }}
  # The verbs the operator uses and no more: its finalizer is added and removed by merge patch (no ownerReferences, so
  # no <plural>/finalizers), status is written by merge patch on /status, Secrets are read from a watch, and an Event
  # is created once and patched as its series grows.
  verbs: ["get", "list", "watch", "patch"]
- apiGroups: [{{ $group | quote }}]
  resources:
    {{- range sortAlpha $plurals }}
    - {{ . }}/status
    {{- end }}
  verbs: ["patch"]
{{- end }}
# PlatformConnection token and SSO client Secrets (watched so a rotated token re-reconciles its users).
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["list", "watch"]
- apiGroups: ["events.k8s.io"]
  resources: ["events"]
  verbs: ["create", "patch"]
{{- end }}
