import { access, constants, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { RolloutError } from '../errors/RolloutError.js';
import { describeFileRefusal } from './describeFileRefusal.js';

function unwritable(option: string, file: string, error: unknown): RolloutError {
  return new RolloutError('OUTPUT_UNWRITABLE', `${option} ${file}: cannot write the file (${describeFileRefusal(error, 'its folder does not exist')})`, { cause: error });
}

/** Writes a file a command was asked for (`--html FILE`, `--csv FILE`); a failure is OUTPUT_UNWRITABLE naming the option and path. */
export async function writeOutputFile(option: string, file: string, content: string): Promise<void> {
  try {
    await writeFile(file, content);
  } catch (error) {
    throw unwritable(option, file, error);
  }
}

/** Checks before long work that `file` could be written later (its folder exists and is writable, it is not a folder). */
export async function checkOutputFile(option: string, file: string): Promise<void> {
  try {
    const existing = await stat(file).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? null : Promise.reject(error)));
    if (existing?.isDirectory() === true) throw Object.assign(new Error('is a folder'), { code: 'EISDIR' });
    await access(path.dirname(path.resolve(file)), constants.W_OK);
  } catch (error) {
    throw unwritable(option, file, error);
  }
}
