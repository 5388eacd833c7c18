package plugin

import (
	"strconv"
	"strings"
)

// Metric names from the sidecar's export contract (docs/metrics.md).
const (
	metricServiceAnomalyScore     = "seismo_service_anomaly_score"
	metricServiceContribution     = "seismo_service_signal_contribution"
	metricEdgeAnomalyScore        = "seismo_edge_anomaly_score"
	metricForecastPrefix          = "seismo_forecast_"
	metricForecastState           = "seismo_forecast_state"
	metricIncidentTemperature     = "seismo_incident_temperature"
	metricIncidentOpenThreshold   = "seismo_incident_open_threshold"
	metricIncidentCloseThreshold  = "seismo_incident_close_threshold"
	metricIncidentSeverity        = "seismo_incident_severity"
	metricIncidentAccumulator     = "seismo_incident_accumulator"
	metricIncidentEntityThreshold = "seismo_incident_entity_threshold"
	metricIncidentOpen            = "seismo_incident_open"
	metricBuildInfo               = "seismo_build_info"
)

// labelMatchers turns (label, value) pairs into exact PromQL matchers;
// empty values are left out so that they match any value.
func labelMatchers(pairs ...string) []string {
	var matchers []string
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] == "" {
			continue
		}
		// PromQL string literals use Go's escaping rules.
		matchers = append(matchers, pairs[i]+"="+strconv.Quote(pairs[i+1]))
	}
	return matchers
}

// selector builds metric{name="value",...} from literal label values.
func selector(metric string, pairs ...string) string {
	matchers := labelMatchers(pairs...)
	if len(matchers) == 0 {
		return metric
	}
	return metric + "{" + strings.Join(matchers, ",") + "}"
}

// namesSelector selects several metrics at once, so that one range query
// (grouped by __name__) answers what would otherwise take one per metric.
// Names are fixed identifiers from this package, never user input.
func namesSelector(names []string, pairs ...string) string {
	matchers := append([]string{`__name__=~"` + strings.Join(names, "|") + `"`}, labelMatchers(pairs...)...)
	return "{" + strings.Join(matchers, ",") + "}"
}
