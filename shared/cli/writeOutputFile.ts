import { access, constants, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { RolloutError } from '../errors/RolloutError.js';

/** Why a path cannot take a file, in words (the errno stays in brackets for the searchable detail). */
function reason(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT':
      return 'its folder does not exist';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a folder';
    case 'ENOTDIR':
      return 'a part of the path is a file, not a folder';
    case 'EROFS':
      return 'the file system is read-only';
    default:
      return 'the file system refused it';
  }
}

function unwritable(option: string, file: string, error: unknown): RolloutError {
  const errno = error as NodeJS.ErrnoException;
  return new RolloutError('OUTPUT_UNWRITABLE', `${option} ${file}: cannot write the file (${reason(errno)}${errno.code === undefined ? '' : `, ${errno.code}`})`, { cause: error });
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
