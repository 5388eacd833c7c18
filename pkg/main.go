package main

import (
	"os"

	"github.com/grafana/grafana-plugin-sdk-go/backend/datasource"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"

	"github.com/seismo/seismo/pkg/plugin"
)

func main() {
	// The binary serves the nested datasource only; the app plugin has no
	// backend of its own.
	if err := datasource.Manage("seismo-anomaly-datasource", plugin.NewDatasource, datasource.ManageOpts{}); err != nil {
		log.DefaultLogger.Error(err.Error())
		os.Exit(1)
	}
}
