/** The settings Grafana keeps for an app plugin (`/api/plugins/<id>/settings`). */
export interface AppPluginSettings {
  enabled: boolean;
  pinned: boolean;
  jsonData: Record<string, unknown>;
}

export interface AppSettingsStore {
  load(): AppPluginSettings;
  save(next: Partial<AppPluginSettings>): void;
}

/**
 * App settings kept in the browser session under `key`, starting from `initial` (what the
 * provisioning file gives the app), so that saving on the configuration page and reloading, as
 * the page does in Grafana, shows the new settings.
 */
export function sessionAppSettings(storage: Storage, key: string, initial: AppPluginSettings): AppSettingsStore {
  const load = (): AppPluginSettings => {
    const stored = storage.getItem(key);
    if (stored === null) {
      return initial;
    }
    try {
      return { ...initial, ...(JSON.parse(stored) as Partial<AppPluginSettings>) };
    } catch {
      return initial;
    }
  };
  return {
    load,
    save: (next) => storage.setItem(key, JSON.stringify({ ...load(), ...next })),
  };
}
