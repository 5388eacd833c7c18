package models

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
)

func sprintf(verb string, v any) string { return fmt.Sprintf(verb, v) }

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }

func hexOf(s string) string { return hex.EncodeToString([]byte(s)) }
