package main

import (
	"math"
	"slices"
	"time"
)

// latencySummary is what the benchmark prints for a set of measured latencies.
type latencySummary struct {
	Count int     `json:"count"`
	P50   float64 `json:"p50_ms"`
	P99   float64 `json:"p99_ms"`
	Max   float64 `json:"max_ms"`
}

// summarise computes nearest-rank percentiles, in milliseconds.
func summarise(samples []time.Duration) latencySummary {
	if len(samples) == 0 {
		return latencySummary{}
	}
	sorted := slices.Clone(samples)
	slices.Sort(sorted)
	return latencySummary{
		Count: len(sorted),
		P50:   milliseconds(nearestRank(sorted, 50)),
		P99:   milliseconds(nearestRank(sorted, 99)),
		Max:   milliseconds(sorted[len(sorted)-1]),
	}
}

// nearestRank is the smallest sample with at least p percent of the samples
// at or below it.
func nearestRank(sorted []time.Duration, p float64) time.Duration {
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	return sorted[max(rank, 1)-1]
}

// milliseconds rounds to a tenth of a millisecond for printing.
func milliseconds(d time.Duration) float64 {
	return math.Round(float64(d)/float64(time.Millisecond)*10) / 10
}
