import React, { type ReactNode, useLayoutEffect, useState } from 'react';
import { Router } from 'react-router';
import type { locationService } from '@grafana/runtime';

type History = ReturnType<typeof locationService.getHistory>;

/**
 * A react-router router over Grafana's location history (`locationService.getHistory()`), the
 * way Grafana routes plugin pages: a page that navigates with `locationService` and one that
 * uses react-router see the same location.
 */
export function HistoryRouter({ history, children }: { history: History; children: ReactNode }) {
  const [location, setLocation] = useState(history.location);
  useLayoutEffect(() => history.listen((next: History['location']) => setLocation(next)), [history]);
  return (
    <Router location={location} navigator={history}>
      {children}
    </Router>
  );
}
