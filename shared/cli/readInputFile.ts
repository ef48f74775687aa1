import { readFile } from 'node:fs/promises';
import { RolloutError } from '../errors/RolloutError.js';

/** Why a path cannot be read, in words (the errno stays in brackets for the searchable detail). */
function reason(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a folder';
    case 'ENOTDIR':
      return 'a part of the path is a file, not a folder';
    default:
      return 'the file system refused it';
  }
}

/** Reads a file a command was given (`pilot import FILE`) as UTF-8; a failure is INPUT_UNREADABLE naming the path. */
export async function readInputFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const errno = error as NodeJS.ErrnoException;
    throw new RolloutError('INPUT_UNREADABLE', `${file}: cannot read the file (${reason(errno)}${errno.code === undefined ? '' : `, ${errno.code}`})`, { cause: error });
  }
}
