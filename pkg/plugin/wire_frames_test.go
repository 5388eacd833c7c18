package plugin

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDecodeWireFrames(t *testing.T) {
	raw := []json.RawMessage{json.RawMessage(`{
		"schema": {"name": "t", "refId": "X", "meta": {"custom": {"k": 1}}, "fields": [
			{"name": "at", "type": "time"},
			{"name": "n", "type": "number", "labels": {"a": "b"}, "config": {"unit": "s"}},
			{"name": "s", "type": "string"},
			{"name": "b", "type": "boolean"},
			{"name": "o", "type": "other"}
		]},
		"data": {"values": [[1772366400000.5, null], [1.5, null], ["x", null], [true, null], [{"k": [1]}, null]]}
	}`)}
	frames, err := decodeWireFrames(raw)
	require.NoError(t, err)
	require.Len(t, frames, 1)
	f := frames[0]
	assert.Equal(t, "t", f.Name)
	assert.Equal(t, "X", f.RefID)
	assert.Equal(t, map[string]any{"k": 1.0}, f.Meta.Custom)
	require.Equal(t, 2, f.Rows())

	at := f.Fields[0].At(0).(*time.Time)
	assert.Equal(t, time.Unix(1772366400, 500_000).UTC(), *at, "sub-millisecond precision survives")
	assert.Equal(t, data.FieldTypeNullableFloat64, f.Fields[1].Type())
	assert.Equal(t, data.Labels{"a": "b"}, f.Fields[1].Labels)
	assert.Equal(t, "s", f.Fields[1].Config.Unit)
	assert.Equal(t, data.FieldTypeNullableString, f.Fields[2].Type())
	assert.Equal(t, data.FieldTypeNullableBool, f.Fields[3].Type())
	assert.Equal(t, data.FieldTypeNullableJSON, f.Fields[4].Type())
	for _, fld := range f.Fields {
		assert.True(t, fld.NilAt(1), "%s: null stays null", fld.Name)
	}

	empty, err := decodeWireFrames([]json.RawMessage{json.RawMessage(`{"schema":{"name":"e","fields":[{"name":"id","type":"string"}]},"data":{"values":[]}}`)})
	require.NoError(t, err)
	assert.Equal(t, 0, empty[0].Rows(), "a frame without rows is valid")
}

func TestDecodeWireFramesRefusesBrokenFrames(t *testing.T) {
	tests := map[string]struct {
		frame string
		want  string
	}{
		"not JSON":          {frame: `{"schema":`, want: "frame 0 is not data-frame JSON"},
		"unknown type":      {frame: `{"schema":{"name":"f","fields":[{"name":"x","type":"decimal"}]},"data":{"values":[[1]]}}`, want: `frame "f": field "x": type "decimal" is not one of`},
		"arrays vs fields":  {frame: `{"schema":{"name":"f","fields":[{"name":"x","type":"number"}]},"data":{"values":[[1],[2]]}}`, want: "the schema has 1 fields but data has 2 value arrays"},
		"ragged columns":    {frame: `{"schema":{"name":"f","fields":[{"name":"x","type":"number"},{"name":"y","type":"number"}]},"data":{"values":[[1],[2,3]]}}`, want: `field "y" has 2 values but the fields before it have 1`},
		"time as text":      {frame: `{"schema":{"name":"f","fields":[{"name":"t","type":"time"}]},"data":{"values":[["2026-03-01"]]}}`, want: "time values must be epoch milliseconds"},
		"number as text":    {frame: `{"schema":{"name":"f","fields":[{"name":"n","type":"number"}]},"data":{"values":[["1"]]}}`, want: "number values must be numbers or null"},
		"unnamed frame bad": {frame: `{"schema":{"fields":[{"name":"n","type":"nope"}]},"data":{"values":[[1]]}}`, want: `frame "0"`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := decodeWireFrames([]json.RawMessage{json.RawMessage(tc.frame)})
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestTimeGrid(t *testing.T) {
	start := time.Unix(1000, 0)
	g := newTimeGrid(start, start.Add(5*time.Minute+30*time.Second), time.Minute)
	assert.Equal(t, 6, g.size, "points at 0..5 minutes; the end falls between steps")
	s := &promSeries{
		times:  []time.Time{start, start.Add(time.Minute), start.Add(90 * time.Second), start.Add(3 * time.Minute), start.Add(10 * time.Minute)},
		values: []float64{1, 2, 99, nan(), 5},
	}
	got := g.fill(s)
	require.Len(t, got, 6)
	assert.Equal(t, 1.0, *got[0])
	assert.Equal(t, 2.0, *got[1])
	assert.Nil(t, got[2], "a missing sample is a gap")
	assert.Nil(t, got[3], "NaN is a gap")
	assert.Nil(t, got[5], "off-grid and out-of-range samples are dropped")
	assert.Len(t, g.fill(nil), 6)
}

func TestSuggestions(t *testing.T) {
	assert.Equal(t, 0, editDistance("cart", "cart"))
	assert.Equal(t, 1, editDistance("chekout", "checkout"))
	assert.Equal(t, 2, editDistance("cart", "crat"), "a swap is two edits")
	assert.Equal(t, 3, editDistance("", "abc"))
	assert.Equal(t, 1, editDistance("zürich", "zurich"), "runes, not bytes")

	known := []string{"payment", "checkout", "cart", "catalog", "currency", "email", "frontend"}
	got := suggestionText("chekout", known, "services")
	assert.True(t, strings.HasPrefix(got, `; closest known services: "checkout", `), got)
	assert.Equal(t, maxSuggestions, strings.Count(got, `"`)/2, "at most five names")
	assert.NotContains(t, got, "frontend", "the farthest name is left out")
	assert.Equal(t, "; Seismo knows no services in this time range at all", suggestionText("x", nil, "services"))
}

func nan() float64 { return math.NaN() }
