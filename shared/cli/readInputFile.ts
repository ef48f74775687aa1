import { readFile } from 'node:fs/promises';
import { RolloutError } from '../errors/RolloutError.js';
import { describeFileRefusal } from './describeFileRefusal.js';

/** Reads a file a command was given (`pilot import FILE`) as UTF-8; a failure is INPUT_UNREADABLE naming the path. */
export async function readInputFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new RolloutError('INPUT_UNREADABLE', `${file}: cannot read the file (${describeFileRefusal(error, 'no such file')})`, { cause: error });
  }
}
