/**
 * Why the file system refused a path, in words, with the errno in brackets for the searchable detail
 * (`no such file, ENOENT`). `missing` words ENOENT for the caller: a file to read is missing, a file to write has no folder.
 */
export function describeFileRefusal(error: unknown, missing: string): string {
  const code = (error as NodeJS.ErrnoException).code;
  return `${words(code, missing)}${code === undefined ? '' : `, ${code}`}`;
}

function words(code: string | undefined, missing: string): string {
  switch (code) {
    case 'ENOENT':
      return missing;
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
