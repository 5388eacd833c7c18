//go:build mage
// +build mage

package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	// mage:import
	build "github.com/grafana/grafana-plugin-sdk-go/build"
)

// Default configures the default target.
var Default = build.BuildAll

// The SDK takes the executable name from src/plugin.json and only falls back
// to the nested src/datasource/plugin.json when the app declares none; the
// fallback is what puts the binary in dist/datasource/, where Grafana starts
// the nested datasource's backend. An "executable" slipping back into the
// app's plugin.json would silently move the binary to dist/ and leave the
// datasource without a backend, so the build refuses that layout.
func init() {
	if err := build.SetBeforeBuildCallback(checkPluginLayout); err != nil {
		panic(err)
	}
}

func checkPluginLayout(cfg build.Config) (build.Config, error) {
	app, err := readPluginJSON(filepath.Join("src", "plugin.json"))
	if err != nil {
		return cfg, err
	}
	if exe, _ := app["executable"].(string); exe != "" {
		return cfg, fmt.Errorf("src/plugin.json declares executable %q, but the app has no backend: "+
			"remove \"backend\" and \"executable\" there; the Go binary belongs to src/datasource/plugin.json", exe)
	}
	ds, err := readPluginJSON(filepath.Join("src", "datasource", "plugin.json"))
	if err != nil {
		return cfg, err
	}
	if exe, _ := ds["executable"].(string); exe == "" || ds["backend"] != true {
		return cfg, fmt.Errorf("src/datasource/plugin.json needs \"backend\": true and an \"executable\" for the Go binary")
	}
	return cfg, nil
}

func readPluginJSON(path string) (map[string]any, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("%s is not valid JSON: %w", path, err)
	}
	return m, nil
}
