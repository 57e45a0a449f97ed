/**
 * Creating the folders the commands write (the synth output's, `npm run iam -- --out`'s), saying
 * why not in one line instead of a stack trace.
 *
 * Not `mkdirSync(dir, { recursive: true })`: where mkdir answers ENOENT under a folder that exists
 * (`/proc/x`), Node's recursive mode retries forever.
 */
import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** A folder cannot be made or used; the message says which and why. */
export class FolderError extends Error {}

const REASONS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENOENT: 'the system allows no folder there',
  ENOTDIR: 'a part of the path is a file',
  EEXIST: 'something of that name is in the way',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the name is too long',
};

/** The error code of a failed file system call, or undefined for any other error. */
export function fsErrorCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) ? code : undefined;
}

/** `EACCES, permission denied`: a failed file system call, in a few words. */
export function fsReason(error: unknown): string {
  const code = fsErrorCode(error);
  if (code === undefined) return String((error as Error)?.message ?? error);
  return REASONS[code] ? `${code}, ${REASONS[code]}` : code;
}

/**
 * The folders to make for `dir` to exist, outermost first; a {@link FolderError} when a file is in
 * the way or a folder on the way cannot be read. Makes nothing.
 */
export function foldersToMake(dir: string): string[] {
  const missing: string[] = [];
  for (let at = resolve(dir); ;) {
    let isFolder: boolean;
    try {
      isFolder = statSync(at).isDirectory();
    } catch (error) {
      const code = fsErrorCode(error);
      const up = dirname(at);
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || up === at) {
        throw new FolderError(`cannot read ${at} (${fsReason(error)})`);
      }
      missing.unshift(at);
      at = up;
      continue;
    }
    if (!isFolder) throw new FolderError(`${at} is a file, not a folder`);
    return missing;
  }
}

/** Creates `dir` and the folders above it that are missing; a {@link FolderError} says why not. */
export function makeFolders(dir: string): void {
  for (const path of foldersToMake(dir)) {
    try {
      mkdirSync(path);
    } catch (error) {
      if (fsErrorCode(error) === 'EEXIST' && isFolderNow(path)) continue; // made meanwhile by someone else
      throw new FolderError(`cannot create the folder ${path} (${fsReason(error)})`);
    }
  }
}

function isFolderNow(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
