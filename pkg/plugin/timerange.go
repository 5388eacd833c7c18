package plugin

import (
	"fmt"
	"math"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/prometheus/common/model"

	"github.com/seismo/seismo/pkg/models"
)

const (
	// maxPointsPerSeries is Prometheus's hard limit for query_range.
	maxPointsPerSeries = 11000
	minStep            = time.Second
)

// resolveRange picks the step and aligns the start to it. Alignment keeps
// points at the same timestamps across refreshes and alert evaluations.
func resolveRange(tr backend.TimeRange, interval time.Duration, maxDataPoints int64, fixed time.Duration) (time.Time, time.Time, time.Duration, error) {
	from, to := tr.From, tr.To
	if !to.After(from) {
		return time.Time{}, time.Time{}, 0, &models.QueryError{
			Message: fmt.Sprintf("the time range is empty or reversed (from %s to %s); choose a range whose end is after its start",
				from.UTC().Format(time.RFC3339), to.UTC().Format(time.RFC3339)),
		}
	}
	span := to.Sub(from)
	// Two points of slack: one for the aligned start, one for the end itself.
	limit := int64(maxPointsPerSeries - 2)

	var step time.Duration
	if fixed > 0 {
		step = fixed
		if points := int64(span/step) + 2; points > maxPointsPerSeries {
			least := niceStep(time.Duration(int64(span)/limit + 1))
			return time.Time{}, time.Time{}, 0, &models.QueryError{
				Message: fmt.Sprintf("time range too large for step %s: %s needs %d points per series, Prometheus returns at most %d; use a step of at least %s or a shorter time range",
					model.Duration(step), model.Duration(span.Round(time.Second)), points, maxPointsPerSeries, model.Duration(least)),
			}
		}
	} else {
		if maxDataPoints <= 0 || maxDataPoints > limit {
			maxDataPoints = limit
		}
		step = max(interval, time.Duration(int64(span)/maxDataPoints+1), minStep)
		step = ceilToSecond(step)
	}

	stepMs := step.Milliseconds()
	fromMs := from.UnixMilli()
	aligned := time.UnixMilli(fromMs - ((fromMs%stepMs)+stepMs)%stepMs).UTC()
	return aligned, to.UTC(), step, nil
}

// niceStep rounds a minimum step up to a value people type into a step
// field; the exact minimum (say 3m56s) is correct but unhelpful.
func niceStep(d time.Duration) time.Duration {
	for _, c := range []time.Duration{
		time.Second, 2 * time.Second, 5 * time.Second, 10 * time.Second, 15 * time.Second, 30 * time.Second,
		time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute,
		time.Hour, 2 * time.Hour, 6 * time.Hour, 12 * time.Hour, 24 * time.Hour,
	} {
		if c >= d {
			return c
		}
	}
	day := 24 * time.Hour
	return (d + day - 1) / day * day
}

func ceilToSecond(d time.Duration) time.Duration {
	if r := d % time.Second; r != 0 {
		d += time.Second - r
	}
	return d
}

// timeGrid is the step grid of a range query: Prometheus answers with
// samples exactly at start + k·step, so a sample's grid index is exact.
type timeGrid struct {
	start time.Time
	step  time.Duration
	size  int
}

func newTimeGrid(start, end time.Time, step time.Duration) timeGrid {
	return timeGrid{start: start, step: step, size: int(end.Sub(start)/step) + 1}
}

func (g timeGrid) times() []time.Time {
	out := make([]time.Time, g.size)
	for i := range out {
		out[i] = g.start.Add(time.Duration(i) * g.step)
	}
	return out
}

// index returns the grid index of t, or false when t is off the grid.
func (g timeGrid) index(t time.Time) (int, bool) {
	d := t.Sub(g.start)
	if d < 0 || d%g.step != 0 {
		return 0, false
	}
	i := int(d / g.step)
	return i, i < g.size
}

// fill places a series on the grid; grid points without a sample, and NaN
// samples, stay null so that gaps show as gaps and are never interpolated.
func (g timeGrid) fill(s *promSeries) []*float64 {
	out := make([]*float64, g.size)
	if s == nil {
		return out
	}
	for i, t := range s.times {
		idx, ok := g.index(t)
		if !ok || math.IsNaN(s.values[i]) {
			continue
		}
		v := s.values[i]
		out[idx] = &v
	}
	return out
}
