package plugin

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDecodeMatrix(t *testing.T) {
	got, err := decodeMatrix([]byte(`{"resultType":"matrix","extra":{"x":[1]},"result":[
		{"metric":{"service":"cart"},"values":[[1772366400,"0.5"],[1772366460.25,"NaN"],[1772366520,"+Inf"]]},
		{"metric":{},"values":[]}]}`))
	require.NoError(t, err)
	require.Len(t, got, 2)
	assert.Equal(t, map[string]string{"service": "cart"}, got[0].labels)
	assert.Equal(t, []time.Time{time.Unix(1772366400, 0).UTC(), time.UnixMilli(1772366460250).UTC(), time.Unix(1772366520, 0).UTC()}, got[0].times)
	assert.Equal(t, 0.5, got[0].values[0])
	assert.True(t, math.IsNaN(got[0].values[1]))
	assert.True(t, math.IsInf(got[0].values[2], 1))
	assert.Empty(t, got[1].times)

	empty, err := decodeMatrix([]byte(`{"resultType":"matrix","result":[]}`))
	require.NoError(t, err)
	assert.NotNil(t, empty)
	assert.Empty(t, empty)

	for name, tc := range map[string]struct{ data, want string }{
		"vector":             {data: `{"resultType":"vector","result":[{"metric":{},"value":[1,"1"]}]}`, want: `resultType is "vector", expected matrix`},
		"timestamp as text":  {data: `{"resultType":"matrix","result":[{"metric":{},"values":[["now","1"]]}]}`, want: `a sample timestamp: timestamp "now" is not a number`},
		"value as a number":  {data: `{"resultType":"matrix","result":[{"metric":{},"values":[[1,0.5]]}]}`, want: "a sample value: value 0.5 is not a string"},
		"value not a number": {data: `{"resultType":"matrix","result":[{"metric":{},"values":[[1,"high"]]}]}`, want: `a sample value: value "high" is not a number`},
		"three elements":     {data: `{"resultType":"matrix","result":[{"metric":{},"values":[[1,"1",2]]}]}`, want: "more than a time and a value"},
		"result not a list":  {data: `{"resultType":"matrix","result":{}}`, want: "result is not an array"},
		"truncated":          {data: `{"resultType":"matrix","result":[{"metric":{"a":`, want: ""},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := decodeMatrix([]byte(tc.data))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}
