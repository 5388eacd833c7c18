import { readFileSync } from 'fs';
import { join } from 'path';
import { type DataFrame, type DataFrameJSON, dataFrameFromJSON } from '@grafana/data';

/**
 * Frames of a recorded set (tests/browser/fixtures, docs/frames.md shapes) for component tests,
 * the same files the browser tests and the preview read.
 */
export function loadFixtureFrames(set: string, ...files: string[]): DataFrame[] {
  const dir = join(__dirname, '..', '..', '..', 'tests', 'browser', 'fixtures', set);
  return files.flatMap((file) => {
    const body = JSON.parse(readFileSync(join(dir, `${file}.json`), 'utf8')) as { frames: DataFrameJSON[] };
    return body.frames.map((frame) => dataFrameFromJSON(frame));
  });
}
