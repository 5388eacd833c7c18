import React from 'react';
import { Route, Routes } from 'react-router-dom';
import { type AppRootProps } from '@grafana/data';

import { Overview } from '../pages/Overview';
import type { AppSettings } from '../types';

export function App({ meta }: AppRootProps<AppSettings>) {
  return (
    <Routes>
      <Route path="*" element={<Overview settings={meta.jsonData ?? {}} />} />
    </Routes>
  );
}
