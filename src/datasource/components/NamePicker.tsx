import React, { useCallback, useEffect, useRef, useState } from 'react';
import { Combobox, type ComboboxOption } from '@grafana/ui';

interface Props {
  id: string;
  value?: string;
  placeholder: string;
  /** Loads the names to offer; called once, when the picker first opens. */
  load: () => Promise<Array<{ value: string; description?: string }>>;
  onChange: (value: string | undefined) => void;
  /** Reports a failed load, so that the editor can say why the list is empty. */
  onLoadError: (message: string | undefined) => void;
  width?: number;
  invalid?: boolean;
}

/**
 * A name picker fed by one of the datasource's resources. Typing a name that is not listed is
 * allowed: a dashboard variable, or a service that has no series in the current time range.
 */
export function NamePicker({ id, value, placeholder, load, onChange, onLoadError, width = 30, invalid }: Props) {
  const cache = useRef<Promise<Array<{ value: string; description?: string }>> | undefined>(undefined);
  const [loading, setLoading] = useState(false);
  // A new loader (another time range or scope) means another list.
  useEffect(() => {
    cache.current = undefined;
  }, [load]);

  const options = useCallback(
    async (input: string): Promise<Array<ComboboxOption<string>>> => {
      if (!cache.current) {
        setLoading(true);
        cache.current = load()
          .then((names) => {
            onLoadError(undefined);
            return names;
          })
          .catch((error: unknown) => {
            cache.current = undefined;
            onLoadError(errorMessage(error));
            return [];
          })
          .finally(() => setLoading(false));
      }
      const names = await cache.current;
      const needle = input.toLowerCase();
      return names
        .filter((n) => n.value.toLowerCase().includes(needle))
        .map((n) => ({ value: n.value, label: n.value, description: n.description }));
    },
    [load, onLoadError]
  );

  return (
    <Combobox
      id={id}
      width={width}
      value={value || null}
      placeholder={placeholder}
      options={options}
      loading={loading}
      invalid={invalid}
      createCustomValue
      isClearable
      onChange={(option) => onChange(option?.value || undefined)}
    />
  );
}

/** The message of a failed resource request, as the backend wrote it. */
export function errorMessage(error: unknown): string {
  if (error && typeof error === 'object') {
    const e = error as { data?: { error?: unknown; message?: unknown }; message?: unknown };
    for (const candidate of [e.data?.error, e.data?.message, e.message]) {
      if (typeof candidate === 'string' && candidate !== '') {
        return candidate;
      }
    }
  }
  return String(error);
}
