import React, { type ComponentType, useEffect } from 'react';
import { createRoot } from 'react-dom/client';
import { Route, Routes, useLocation } from 'react-router';
import { css, cx } from '@emotion/css';
import {
  AppPlugin,
  type AppPluginMeta,
  type AppRootProps,
  type DataSourceApi,
  type DataSourcePlugin,
  type DataSourcePluginMeta,
  type GrafanaTheme2,
  type PluginInclude,
  ThemeContext,
} from '@grafana/data';
import { locationService, setBackendSrv, setDataSourceSrv } from '@grafana/runtime';
import { Alert, GlobalStyles, Icon, useStyles2 } from '@grafana/ui';

import { PREVIEW_DATASOURCE } from '../server/previewDatasource';
import { sessionAppSettings } from './appSettingsStore';
import { type LoadedPlugin, loadPlugins, type PluginStatus } from './discoverPlugins';
import { ErrorBoundary } from './ErrorBoundary';
import { HistoryRouter } from './HistoryRouter';
import { interceptLinkClicks } from './interceptLinkClicks';
import { previewBackendSrv } from './previewBackendSrv';
import { previewDataSourceSrv } from './previewDataSourceSrv';

/**
 * Whether the app pages host renders a page path: every Grafana path (`/a/<app>/...`,
 * `/plugins/<id>`, and the pages the app links to outside itself); the preview's own page is /.
 */
export function isAppPath(pathname: string): boolean {
  return pathname !== '/' && pathname !== '' && pathname !== '/index.html';
}

/**
 * Mounts the app plugin's pages the way Grafana does: the app's root page under
 * `/a/<app id>/*` with Grafana's router and location service, its configuration pages under
 * `/plugins/<app id>`, the app's navigation from its plugin.json, one Seismo datasource in the
 * datasource service, and a backend service whose datasource calls the preview server answers
 * from the sidecar. Internal links are routed without a page load, as in Grafana.
 */
export async function mountAppPages(container: HTMLElement, theme: GrafanaTheme2): Promise<void> {
  const { statuses, loaded } = await loadPlugins((meta) => meta.type === 'app' || meta.type === 'datasource');
  const app = loaded.find((entry) => entry.plugin instanceof AppPlugin);
  const datasource = loaded.find((entry) => entry.meta.type === 'datasource');
  const root = createRoot(container);
  const publish = () => {
    window.__seismoPreview = { ready: true, plugins: statuses };
  };
  document.body.style.background = theme.colors.background.canvas;
  if (!app || !datasource) {
    root.render(
      <ThemeContext.Provider value={theme}>
        <GlobalStyles />
        <PluginFailures statuses={statuses} />
      </ThemeContext.Provider>
    );
    publish();
    return;
  }
  const plugin = app.plugin as AppPlugin;
  const store = sessionAppSettings(window.sessionStorage, `seismo-preview-settings:${app.meta.id}`, {
    enabled: true,
    pinned: true,
    // As provisioning/plugins/apps.yaml sets it up.
    jsonData: { datasourceUid: PREVIEW_DATASOURCE.uid },
  });
  setBackendSrv(previewBackendSrv({ source: { kind: 'live' }, appSettings: { pluginId: app.meta.id, store } }));
  setDataSourceSrv(
    previewDataSourceSrv(datasource.meta as DataSourcePluginMeta, datasource.plugin as DataSourcePlugin<DataSourceApi>)
  );
  const settings = store.load();
  const meta = { ...app.meta, ...settings } as AppPluginMeta;
  plugin.meta = meta;
  plugin.init(meta);
  interceptLinkClicks(document, (path) => locationService.push(path));

  const appStatus = (app as LoadedPlugin & { status: PluginStatus }).status;
  root.render(
    <ThemeContext.Provider value={theme}>
      <GlobalStyles />
      <HistoryRouter history={locationService.getHistory()}>
        <AppChrome
          plugin={plugin}
          onRendered={() => {
            appStatus.rendered = !appStatus.error;
            publish();
          }}
          onError={(error) => {
            appStatus.rendered = false;
            appStatus.error = error.message;
            publish();
          }}
        />
      </HistoryRouter>
    </ThemeContext.Provider>
  );
}

function PluginFailures({ statuses }: { statuses: PluginStatus[] }) {
  return (
    <main style={{ padding: 16 }}>
      {statuses
        .filter((status) => !status.loaded)
        .map((status) => (
          <Alert key={status.id} severity="error" title={`${status.id} did not load`}>
            {status.error}
          </Alert>
        ))}
    </main>
  );
}

interface ChromeProps {
  plugin: AppPlugin;
  onRendered: () => void;
  onError: (error: Error) => void;
}

/** The app's pages from plugin.json, as Grafana lists them in its navigation. */
function navPages(meta: AppPluginMeta): PluginInclude[] {
  return (meta.includes ?? []).filter((include) => include.type === 'page' && include.addToNav && include.path);
}

function AppChrome({ plugin, onRendered, onError }: ChromeProps) {
  const styles = useStyles2(getStyles);
  const { pathname } = useLocation();
  const meta = plugin.meta;
  const pages = navPages(meta);
  const base = `/a/${meta.id}`;
  const current =
    pages.find((page) => pathname === page.path || pathname.startsWith(`${page.path}/`)) ??
    (pathname === base || pathname === `${base}/`
      ? pages.find((page) => (page as PluginInclude & { defaultNav?: boolean }).defaultNav)
      : undefined);
  useEffect(() => onRendered(), [onRendered]);
  const Root = plugin.root as ComponentType<AppRootProps> | undefined;
  if (!Root) {
    throw new Error(`${meta.id}: app has no root page`);
  }

  return (
    <div className={styles.layout} data-testid="app-preview">
      <nav className={styles.nav} aria-label={`${meta.name} pages`}>
        <div className={styles.app}>
          {meta.info?.logos?.small && <img src={meta.info.logos.small} alt="" width={20} height={20} />}
          {meta.name}
        </div>
        {pages.map((page) => (
          <a
            key={page.path}
            href={page.path}
            className={cx(styles.navItem, page === current && styles.navItemActive)}
            aria-current={page === current ? 'page' : undefined}
          >
            {page.icon && <Icon name={page.icon as never} />}
            {page.name}
          </a>
        ))}
      </nav>
      <main className={styles.page}>
        <div className={styles.breadcrumb}>
          Apps <Icon name="angle-right" /> {meta.name}
          {current && (
            <>
              {' '}
              <Icon name="angle-right" /> {current.name}
            </>
          )}
        </div>
        {current && <h1 className={styles.title}>{current.name}</h1>}
        <ErrorBoundary onError={onError}>
          <Routes>
            <Route
              path={`${base}/*`}
              element={<Root meta={meta} basename={base} query={{}} path={base} onNavChanged={() => undefined} />}
            />
            <Route path={`/plugins/${meta.id}`} element={<ConfigPages plugin={plugin} />} />
            <Route path="*" element={<OutsidePreview appBase={base} path={pathname} />} />
          </Routes>
        </ErrorBoundary>
      </main>
    </div>
  );
}

/** The app's configuration pages (Grafana shows them on the plugin's page, `?page=<id>`). */
function ConfigPages({ plugin }: { plugin: AppPlugin }) {
  const { search } = useLocation();
  const query = Object.fromEntries(new URLSearchParams(search));
  const pages = plugin.configPages ?? [];
  const page = pages.find((p) => p.id === query.page) ?? pages[0];
  if (!page) {
    return <Alert severity="info" title={`${plugin.meta.name} has no configuration page`} />;
  }
  const Body = page.body;
  return <Body plugin={plugin} query={query} />;
}

/** A link to a Grafana page outside the app: named, since the preview has no Grafana to show it. */
function OutsidePreview({ appBase, path }: { appBase: string; path: string }) {
  return (
    <Alert severity="info" title="This page is part of Grafana, not of the app" data-testid="outside-preview">
      <p>
        <code>{path}</code> is a Grafana page (a dashboard, Explore or the datasource settings) that the preview does
        not host; it opens in Grafana when the app runs there.
      </p>
      <a href={`${appBase}/overview`}>Back to the app</a>
    </Alert>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  layout: css({ display: 'flex', minHeight: '100vh' }),
  nav: css({
    width: 220,
    flexShrink: 0,
    borderRight: `1px solid ${theme.colors.border.weak}`,
    background: theme.colors.background.primary,
    padding: theme.spacing(1),
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(0.5),
  }),
  app: css({
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    padding: theme.spacing(1),
    fontWeight: theme.typography.fontWeightMedium,
  }),
  navItem: css({
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    padding: theme.spacing(0.75, 1.5),
    borderRadius: theme.shape.radius.default,
    color: theme.colors.text.secondary,
    '&:hover': { background: theme.colors.action.hover, color: theme.colors.text.primary },
  }),
  navItemActive: css({
    color: theme.colors.text.primary,
    background: theme.colors.action.selected,
    boxShadow: `inset 3px 0 0 ${theme.colors.primary.main}`,
  }),
  page: css({ flex: 1, minWidth: 0, padding: theme.spacing(2, 3) }),
  breadcrumb: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  title: css({ margin: theme.spacing(1, 0, 2) }),
});
