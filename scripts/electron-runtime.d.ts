/** Types of electron-runtime.js (plain JavaScript, so that node runs it without a loader). */

export interface InstallerResult {
  /** Exit status of electron's install.js (null when it was killed). */
  status: number | null;
  /** What it printed, stdout and stderr together. */
  output: string;
}

export type Installer = (electronDir: string, env: NodeJS.ProcessEnv) => InstallerResult;

export type EnsureResult = { ok: true; executable: string } | { ok: false; message: string };

export declare const NOT_INSTALLED_MESSAGE: string;

export declare function electronDirectory(from?: string): string | undefined;
export declare function electronExecutable(
  electronDir: string,
  env?: NodeJS.ProcessEnv,
): string | undefined;
export declare function runElectronInstaller(
  electronDir: string,
  env?: NodeJS.ProcessEnv,
): InstallerResult;
export declare function runtimeMissingMessage(cause: string): string;
export declare function ensureElectron(options: {
  electronDir: string | undefined;
  env?: NodeJS.ProcessEnv;
  install: Installer;
  onDownload?: () => void;
}): EnsureResult;
