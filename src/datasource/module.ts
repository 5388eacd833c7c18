import { DataSourcePlugin } from '@grafana/data';

import { ConfigEditor } from './components/ConfigEditor';
import { QueryEditor } from './components/QueryEditor';
import { SeismoDataSource } from './SeismoDataSource';
import type { SeismoOptions, SeismoQuery, SeismoSecureOptions } from './types';

export const plugin = new DataSourcePlugin<SeismoDataSource, SeismoQuery, SeismoOptions, SeismoSecureOptions>(
  SeismoDataSource
)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);
