import React from 'react';
import { Route, Routes } from 'react-router-dom';
import { type AppRootProps } from '@grafana/data';

import { IncidentDetail } from '../pages/IncidentDetail';
import { Incidents } from '../pages/Incidents';
import { Models } from '../pages/Models';
import { Overview } from '../pages/Overview';
import { Services } from '../pages/Services';
import { type AppSettings, ROUTES } from '../types';

export function App({ meta }: AppRootProps<AppSettings>) {
  const settings = meta.jsonData ?? {};
  return (
    <Routes>
      <Route path={ROUTES.services} element={<Services settings={settings} />} />
      <Route path={ROUTES.incidents} element={<Incidents settings={settings} />} />
      <Route path={`${ROUTES.incidents}/:id`} element={<IncidentDetail settings={settings} />} />
      <Route path={ROUTES.models} element={<Models settings={settings} />} />
      <Route path="*" element={<Overview settings={settings} />} />
    </Routes>
  );
}
