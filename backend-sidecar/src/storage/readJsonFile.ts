import { readFile } from 'node:fs/promises';

/**
 * A JSON file's content, or `null` when the file does not exist. A file that exists but does not
 * parse throws with the file name: state written by atomicWriteFile is never torn, so a broken
 * file is something an operator has to look at, not something to overwrite silently.
 */
export async function readJsonFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return null;
    }
    throw error;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new Error(`${file} is not valid JSON (${(error as Error).message})`, { cause: error });
  }
}
