import { open, readFile } from 'node:fs/promises';

/**
 * An append-only file of JSON records, one per line. Each append is written and fsync'd before
 * it resolves, so an acknowledged record survives a crash. Appends are serialised. A torn last
 * line (a crash mid-write) is skipped when reading and reported in `skipped`.
 */
export class JsonLinesFile {
  readonly file: string;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(file: string) {
    this.file = file;
  }

  append(record: unknown): Promise<void> {
    const line = `${JSON.stringify(record)}\n`;
    const run = async (): Promise<void> => {
      const handle = await open(this.file, 'a', 0o600);
      try {
        await handle.writeFile(line);
        await handle.sync();
      } finally {
        await handle.close();
      }
    };
    const result = this.#queue.then(run, run);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  async readAll(): Promise<{ records: unknown[]; skipped: number }> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return { records: [], skipped: 0 };
      }
      throw error;
    }
    const records: unknown[] = [];
    let skipped = 0;
    for (const line of text.split('\n')) {
      if (line.trim() === '') {
        continue;
      }
      try {
        records.push(JSON.parse(line) as unknown);
      } catch {
        skipped++;
      }
    }
    return { records, skipped };
  }
}
