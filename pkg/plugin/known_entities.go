package plugin

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// maxSuggestions bounds the names an error message lists.
const maxSuggestions = 5

// checkServiceKnown is called when a query for a named service found
// nothing. It tells a typo (an error, with close names) apart from a known
// service that merely has no data (no error: the caller answers "no data",
// which alert rules handle as such). A failing lookup returns nil, since it
// only refines the answer.
func (d *Datasource) checkServiceKnown(ctx context.Context, service string, r queryRange) error {
	known, err := d.prom.labelValues(ctx, "service", `{__name__=~"seismo_service_.+"}`, r.start.Add(-r.step), r.end)
	if err != nil {
		d.logger.FromContext(ctx).Debug("service lookup failed", "error", err.Error())
		return nil
	}
	if slices.Contains(known, service) {
		return nil
	}
	return &notFoundError{message: fmt.Sprintf(
		"service %q is not known to Seismo in this time range (no seismo_service_* series)%s; check the name, or widen the time range if it was monitored earlier",
		service, suggestionText(service, known, "services"))}
}

// checkEdgeKnown is checkServiceKnown for call edges; either end may be empty.
func (d *Datasource) checkEdgeKnown(ctx context.Context, client, server string, r queryRange) error {
	sets, err := d.prom.series(ctx, `{__name__=~"seismo_edge_.+",client!="",server!=""}`, r.start.Add(-r.step), r.end)
	if err != nil {
		d.logger.FromContext(ctx).Debug("edge lookup failed", "error", err.Error())
		return nil
	}
	var known []string
	seen := map[string]bool{}
	for _, s := range sets {
		if (client == "" || s["client"] == client) && (server == "" || s["server"] == server) {
			return nil
		}
		id := s["client"] + "->" + s["server"]
		if !seen[id] {
			seen[id] = true
			known = append(known, id)
		}
	}
	which := edgeDescription(client, server)
	return &notFoundError{message: fmt.Sprintf(
		"no call edge %s is known to Seismo in this time range (no seismo_edge_* series)%s; check the names, or widen the time range",
		which, suggestionText(client+"->"+server, known, "edges"))}
}

func edgeDescription(client, server string) string {
	switch {
	case client != "" && server != "":
		return fmt.Sprintf("from %q to %q", client, server)
	case client != "":
		return fmt.Sprintf("from %q", client)
	default:
		return fmt.Sprintf("to %q", server)
	}
}

// suggestionText lists the known names closest to a wrong one.
func suggestionText(wrong string, known []string, what string) string {
	if len(known) == 0 {
		return "; Seismo knows no " + what + " in this time range at all"
	}
	ranked := append([]string(nil), known...)
	sort.SliceStable(ranked, func(i, j int) bool {
		di, dj := editDistance(wrong, ranked[i]), editDistance(wrong, ranked[j])
		if di != dj {
			return di < dj
		}
		return ranked[i] < ranked[j]
	})
	if len(ranked) > maxSuggestions {
		ranked = ranked[:maxSuggestions]
	}
	quoted := make([]string, len(ranked))
	for i, n := range ranked {
		quoted[i] = fmt.Sprintf("%q", n)
	}
	return fmt.Sprintf("; closest known %s: %s", what, strings.Join(quoted, ", "))
}

// editDistance is the Levenshtein distance over runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
