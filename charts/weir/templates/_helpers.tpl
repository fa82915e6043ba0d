{{/* Chart name, overridable. */}}
{{- define "weir.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Fully qualified name: release name + chart name, unless the release name already contains the chart name. */}}
{{- define "weir.fullname" -}}
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

{{- define "weir.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels on every object but the component. */}}
{{- define "weir.commonLabels" -}}
helm.sh/chart: {{ include "weir.chart" . }}
app.kubernetes.io/name: {{ include "weir.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: weir
{{- end }}

{{/* Labels of the agent's objects. */}}
{{- define "weir.labels" -}}
{{ include "weir.commonLabels" . }}
app.kubernetes.io/component: agent
{{- end }}

{{/* Labels that select the agent pods; never change them in an upgrade (DaemonSet selectors are immutable). */}}
{{- define "weir.selectorLabels" -}}
app.kubernetes.io/name: {{ include "weir.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: agent
{{- end }}

{{/* Labels of the controller's objects. */}}
{{- define "weir.controllerLabels" -}}
{{ include "weir.commonLabels" . }}
app.kubernetes.io/component: controller
{{- end }}

{{/* Labels that select the controller pods; never change them in an upgrade (Deployment selectors are immutable). */}}
{{- define "weir.controllerSelectorLabels" -}}
app.kubernetes.io/name: {{ include "weir.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: controller
{{- end }}

{{/* The controller's objects: the release's full name with -controller (63 characters at most). */}}
{{- define "weir.controllerName" -}}
{{- printf "%s-controller" (include "weir.fullname" . | trunc 52 | trimSuffix "-") }}
{{- end }}

{{- define "weir.controllerServiceAccountName" -}}
{{- if .Values.controller.serviceAccount.create }}
{{- default (include "weir.controllerName" .) .Values.controller.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.controller.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Whether the controller runs: enabled, and not in cleanup mode (nothing is enforced then, so nothing to report). */}}
{{- define "weir.controllerEnabled" -}}
{{- if and .Values.controller.enabled (not .Values.cleanup.enabled) }}true{{ end }}
{{- end }}

{{/* Labels that select the cleanup pods (cleanup mode). */}}
{{- define "weir.cleanupSelectorLabels" -}}
app.kubernetes.io/name: {{ include "weir.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: cleanup
{{- end }}

{{/* Seconds of a duration written in whole seconds or minutes ("5s", "2m"), as the report's values are. */}}
{{- define "weir.seconds" -}}
{{- if hasSuffix "m" . }}{{ mul (trimSuffix "m" . | int) 60 }}{{ else }}{{ trimSuffix "s" . | int }}{{ end }}
{{- end }}

{{- define "weir.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "weir.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "weir.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/* Linux capabilities: iptables/ipset need NET_ADMIN, raw sockets and some matches NET_RAW; nothing else. */}}
{{- define "weir.containerSecurityContext" -}}
privileged: false
allowPrivilegeEscalation: false
readOnlyRootFilesystem: {{ .Values.readOnlyRootFilesystem }}
# iptables refuses to run as non-root even with capabilities, hence uid 0 with a minimal capability set.
runAsUser: 0
runAsNonRoot: false
capabilities:
  add: ["NET_ADMIN", "NET_RAW"]
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end }}
