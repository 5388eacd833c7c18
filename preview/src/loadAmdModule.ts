type Factory = (...dependencies: unknown[]) => unknown;

interface Definition {
  dependencies: string[];
  factory: Factory;
}

declare global {
  interface Window {
    define?: (dependencies: string[], factory: Factory) => void;
  }
}

/**
 * Loads one AMD module (the format of the plugin build) by script tag, resolving its
 * dependencies from `shared`. `module` resolves to the module's own URL, which the plugin's
 * public-path shim reads to find its chunks. Loads are serialised by the caller: the global
 * `define` is only installed for the duration of one script.
 */
export function loadAmdModule(url: string, shared: Readonly<Record<string, unknown>>): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const definitions: Definition[] = [];
    window.define = (dependencies, factory) => definitions.push({ dependencies, factory });

    const script = document.createElement('script');
    script.src = url;
    script.onload = () => {
      delete window.define;
      const definition = definitions[0];
      if (!definition) {
        reject(new Error(`${url} did not define an AMD module`));
        return;
      }
      const missing = definition.dependencies.filter((name) => name !== 'module' && !(name in shared));
      if (missing.length > 0) {
        reject(new Error(`${url} needs modules Grafana does not share: ${missing.join(', ')}`));
        return;
      }
      try {
        const resolved = definition.dependencies.map((name) => (name === 'module' ? { uri: url } : shared[name]));
        resolve(definition.factory(...resolved));
      } catch (error) {
        reject(error);
      }
    };
    script.onerror = () => {
      delete window.define;
      reject(new Error(`could not load ${url}`));
    };
    document.head.appendChild(script);
  });
}
