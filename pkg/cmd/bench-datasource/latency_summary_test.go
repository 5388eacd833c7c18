package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestSummariseNearestRank(t *testing.T) {
	var samples []time.Duration
	// 100 samples of 1..100 ms, shuffled: p50 is 50 ms, p99 is 99 ms.
	for i := range 100 {
		samples = append(samples, time.Duration((i*37)%100+1)*time.Millisecond)
	}
	assert.Equal(t, latencySummary{Count: 100, P50: 50, P99: 99, Max: 100}, summarise(samples))
	assert.Equal(t, time.Duration((0*37)%100+1)*time.Millisecond, samples[0], "the input is left unsorted")

	assert.Equal(t, latencySummary{Count: 1, P50: 1.2, P99: 1.2, Max: 1.2}, summarise([]time.Duration{1234 * time.Microsecond}))
	assert.Equal(t, latencySummary{}, summarise(nil))
}
