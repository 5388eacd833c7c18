import * as emotionCss from '@emotion/css';
import * as emotionReact from '@emotion/react';
import * as grafanaData from '@grafana/data';
import * as grafanaRuntime from '@grafana/runtime';
import * as grafanaUi from '@grafana/ui';
import * as d3 from 'd3';
import lodash from 'lodash';
import * as react from 'react';
import * as reactDom from 'react-dom';
import * as jsxRuntime from 'react/jsx-runtime';
import * as reactRouter from 'react-router';
import * as rxjs from 'rxjs';

/**
 * The modules Grafana shares with plugins (the externals of the plugin build). A plugin module
 * that asks for anything else fails to load here as it would in Grafana.
 */
export const sharedModules: Readonly<Record<string, unknown>> = {
  '@emotion/css': emotionCss,
  '@emotion/react': emotionReact,
  '@grafana/data': grafanaData,
  '@grafana/runtime': grafanaRuntime,
  '@grafana/ui': grafanaUi,
  d3,
  lodash,
  react,
  'react-dom': reactDom,
  'react/jsx-runtime': jsxRuntime,
  'react-router': reactRouter,
  rxjs,
};
