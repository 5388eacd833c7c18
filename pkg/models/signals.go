package models

import "strings"

// Scope says whether a query, signal or forecast target is about a service
// or about a client→server call edge.
type Scope string

const (
	ScopeService Scope = "service"
	ScopeEdge    Scope = "edge"
)

// SignalSpec describes one canonical signal as the sidecar's signal table
// defines it. The backend needs the table for units of frames, for picker
// resources and for validating queries before they reach an upstream.
type SignalSpec struct {
	Name  string `json:"name"`
	Scope Scope  `json:"scope"`
	// Unit is the base unit written out ("seconds"); values are never scaled.
	Unit string `json:"unit"`
	// GrafanaUnit is the unit id Grafana formats values with ("s").
	GrafanaUnit string `json:"grafanaUnit"`
	Description string `json:"description"`
}

// DefaultForecastSignal is what a forecast query reads when it names no signal.
const DefaultForecastSignal = "latency_p95"

type signalUnit struct{ unit, grafanaUnit string }

// CanonicalSignals returns the signals of one scope in the sidecar's
// canonical order. It builds a fresh slice on every call so that no caller
// can change the table for others. A test keeps it equal to the sidecar's
// own table through a shared JSON file.
func CanonicalSignals(scope Scope) []SignalSpec {
	var (
		unitRate    = signalUnit{"requests/second", "reqps"}
		unitRatio   = signalUnit{"ratio (0-1)", "percentunit"}
		unitLatency = signalUnit{"seconds", "s"}
		// Grafana has no "cores" unit; "short" prints the plain number.
		unitCores    = signalUnit{"cores", "short"}
		unitBytes    = signalUnit{"bytes", "bytes"}
		unitByteRate = signalUnit{"bytes/second", "Bps"}
	)
	type row struct {
		name        string
		unit        signalUnit
		description string
	}
	var rows []row
	switch scope {
	case ScopeService:
		rows = []row{
			{"request_rate", unitRate, "Requests received by the service per second (all callers, all replicas)."},
			{"error_ratio", unitRatio, "Share of inbound requests answered with a server error, in [0, 1]."},
			{"latency_p50", unitLatency, "Median duration of inbound requests as seen by the service, in seconds."},
			{"latency_p95", unitLatency, "95th percentile duration of inbound requests, in seconds."},
			{"latency_p99", unitLatency, "99th percentile duration of inbound requests, in seconds."},
			{"outbound_request_rate", unitRate, "Requests the service sends to its dependencies per second."},
			{"outbound_error_ratio", unitRatio, "Share of outbound requests that failed, in [0, 1]."},
			{"outbound_latency_p95", unitLatency, "95th percentile duration of outbound requests as seen by the caller, in seconds."},
			{"cpu_usage", unitCores, "CPU time consumed per second summed over all replicas, in cores."},
			{"memory_working_set", unitBytes, "Working-set memory summed over all replicas, in bytes."},
			{"network_receive_rate", unitByteRate, "Bytes received per second summed over all replicas."},
			{"network_transmit_rate", unitByteRate, "Bytes transmitted per second summed over all replicas."},
		}
	case ScopeEdge:
		rows = []row{
			{"request_rate", unitRate, "Requests from the client service to the server service per second."},
			{"error_ratio", unitRatio, "Share of client→server requests that failed, in [0, 1]."},
			{"latency_p95", unitLatency, "95th percentile duration of client→server requests, in seconds."},
		}
	}
	out := make([]SignalSpec, len(rows))
	for i, r := range rows {
		out[i] = SignalSpec{Name: r.name, Scope: scope, Unit: r.unit.unit, GrafanaUnit: r.unit.grafanaUnit, Description: r.description}
	}
	return out
}

// LookupSignal finds a canonical signal of a scope by name.
func LookupSignal(scope Scope, name string) (SignalSpec, bool) {
	for _, s := range CanonicalSignals(scope) {
		if s.Name == name {
			return s, true
		}
	}
	return SignalSpec{}, false
}

// SignalNames lists the names of a scope's signals, for error messages.
func SignalNames(scope Scope) string {
	specs := CanonicalSignals(scope)
	names := make([]string, len(specs))
	for i, s := range specs {
		names[i] = s.Name
	}
	return strings.Join(names, ", ")
}
