package plugin

import (
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// multiMeta marks a frame as one series of the dataplane "timeseries-multi"
// type. Grafana's server-side expressions read typed frames with the
// dataplane reader, which takes the first number field of each frame as its
// series; its labels become the alert instance's labels.
func multiMeta(executed string) *data.FrameMeta {
	return &data.FrameMeta{
		Type:                data.FrameTypeTimeSeriesMulti,
		TypeVersion:         data.FrameTypeVersion{0, 1},
		ExecutedQueryString: executed,
	}
}

// tableMeta marks a table frame.
func tableMeta(executed string) *data.FrameMeta {
	return &data.FrameMeta{ExecutedQueryString: executed}
}

// timeField is the Time field of a series; its interval tells Grafana's
// panels to draw holes longer than one step as gaps instead of joining them.
func timeField(times []time.Time, step time.Duration) *data.Field {
	f := data.NewField(data.TimeSeriesTimeFieldName, nil, times)
	if step > 0 {
		f.Config = &data.FieldConfig{Interval: float64(step.Milliseconds())}
	}
	return f
}

// noDataFrames is the dataplane's "no data" answer: one typed frame without
// fields. Alert rules then apply their no-data handling, and the notice tells
// a dashboard user why the panel is empty.
func noDataFrames(meta *data.FrameMeta, notices []data.Notice, hint string) data.Frames {
	f := data.NewFrame("")
	f.Meta = meta
	f.Meta.Notices = append(notices, data.Notice{Severity: data.NoticeSeverityInfo, Text: hint})
	return data.Frames{f}
}

// promNotices turns Prometheus's warnings and infos into frame notices.
func promNotices(results ...*promResult) []data.Notice {
	var notices []data.Notice
	for _, res := range results {
		if res == nil {
			continue
		}
		for _, w := range res.warnings {
			notices = append(notices, data.Notice{Severity: data.NoticeSeverityWarning, Text: "Prometheus: " + w})
		}
		for _, i := range res.infos {
			notices = append(notices, data.Notice{Severity: data.NoticeSeverityInfo, Text: "Prometheus: " + i})
		}
	}
	return notices
}

// unitConfig is a field config with a Grafana unit and optional fixed bounds.
func unitConfig(displayName, unit string, bounds ...float64) *data.FieldConfig {
	c := &data.FieldConfig{DisplayNameFromDS: displayName, Unit: unit}
	if len(bounds) == 2 {
		lo, hi := data.ConfFloat64(bounds[0]), data.ConfFloat64(bounds[1])
		c.Min, c.Max = &lo, &hi
	}
	return c
}

// seriesLabels copies a series' labels without the metric name, which the
// field name already carries.
func seriesLabels(l map[string]string, keep ...string) data.Labels {
	out := data.Labels{}
	for _, k := range keep {
		if v, ok := l[k]; ok && v != "" {
			out[k] = v
		}
	}
	return out
}
