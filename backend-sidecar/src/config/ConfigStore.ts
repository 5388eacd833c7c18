import { diffConfig } from './diffConfig.js';
import { restartRequiredChanges } from './restartRequiredChanges.js';
import type { ConfigView, LoadedConfig } from './types.js';

export interface ConfigChange {
  readonly previous: LoadedConfig;
  /** Key paths that differ from the previous config. */
  readonly changed: readonly string[];
}

export type ConfigListener = (next: LoadedConfig, change: ConfigChange) => void | Promise<void>;

/**
 * The config in force. Readers call current() each time instead of keeping a copy, so a
 * reload reaches them; modules that must rebuild something (a Prometheus client) subscribe.
 */
export class ConfigStore implements ConfigView {
  /** The config the process started with; restart-only settings keep these values. */
  readonly initial: LoadedConfig;
  #current: LoadedConfig;
  readonly #listeners = new Set<ConfigListener>();

  constructor(initial: LoadedConfig) {
    this.initial = initial;
    this.#current = initial;
  }

  current(): LoadedConfig {
    return this.#current;
  }

  /** Calls `listener` after each change; returns the unsubscribe function. */
  subscribe(listener: ConfigListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /**
   * Swaps in a validated config and, when any setting changed, calls the listeners one after
   * the other. Returns what changed and the errors listeners threw (they do not stop the others).
   */
  async replace(next: LoadedConfig): Promise<{ changed: string[]; listenerErrors: unknown[] }> {
    const previous = this.#current;
    const changed = diffConfig(previous.config, next.config);
    this.#current = next;
    const listenerErrors: unknown[] = [];
    if (changed.length > 0) {
      for (const listener of [...this.#listeners]) {
        try {
          await listener(next, { previous, changed });
        } catch (error) {
          listenerErrors.push(error);
        }
      }
    }
    return { changed, listenerErrors };
  }

  /** Restart-only settings whose file value differs from the value in force. */
  pendingRestart(): string[] {
    return restartRequiredChanges(this.initial.config, this.#current.config);
  }
}
