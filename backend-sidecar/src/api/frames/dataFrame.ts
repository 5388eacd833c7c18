/** Grafana data-frame JSON (docs/frames.md): schema with typed fields, values column by column. */
export type FieldType = 'time' | 'number' | 'string' | 'boolean' | 'other';

export interface FieldSpec {
  readonly name: string;
  readonly type: FieldType;
  readonly values: readonly unknown[];
  readonly config?: Readonly<Record<string, unknown>>;
  readonly labels?: Readonly<Record<string, string>>;
}

export interface DataFrame {
  readonly schema: {
    readonly name?: string;
    readonly refId?: string;
    readonly meta?: Readonly<Record<string, unknown>>;
    readonly fields: ReadonlyArray<{
      readonly name: string;
      readonly type: FieldType;
      readonly config?: Readonly<Record<string, unknown>>;
      readonly labels?: Readonly<Record<string, string>>;
    }>;
  };
  readonly data: { readonly values: ReadonlyArray<readonly unknown[]> };
}

/** Builds one frame; every field must have the same number of values. */
export function dataFrame(
  name: string,
  fields: readonly FieldSpec[],
  meta?: Readonly<Record<string, unknown>>
): DataFrame {
  const length = fields[0]?.values.length ?? 0;
  for (const f of fields) {
    if (f.values.length !== length) {
      throw new RangeError(`frame ${name}: field ${f.name} has ${f.values.length} values, expected ${length}`);
    }
  }
  return {
    schema: {
      name,
      ...(meta === undefined ? {} : { meta }),
      fields: fields.map((f) => ({
        name: f.name,
        type: f.type,
        ...(f.config === undefined ? {} : { config: f.config }),
        ...(f.labels === undefined ? {} : { labels: f.labels }),
      })),
    },
    data: { values: fields.map((f) => [...f.values]) },
  };
}

/** Unix seconds to the epoch milliseconds frames carry; null stays null. */
export function ms(seconds: number | null | undefined): number | null {
  return seconds === null || seconds === undefined ? null : Math.round(seconds * 1000);
}
