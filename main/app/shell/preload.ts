/**
 * Electron shell, sandboxed preload (built to dist/app/preload.cjs): exposes window.parley.
 * The page gets one function per bridge request and subscribe(), never ipcRenderer itself.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { createDesktopBridge } from './bridge-factory';

contextBridge.exposeInMainWorld(
  'parley',
  createDesktopBridge(ipcRenderer, (file) => webUtils.getPathForFile(file)),
);
