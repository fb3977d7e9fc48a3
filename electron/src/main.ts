/**
 * Desktop shell entry: wires Electron to the backend. No logic lives here.
 */
import path from 'node:path';
import { app, safeStorage } from 'electron';
import { meterImageArchivePath, startBackend } from '@nodeless/backend';
import { safeStorageBox } from './safe-storage-box.ts';
import { createMainWindow, hardenSession } from './window.ts';
import { desktopPaths } from './paths.ts';

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('window-all-closed', () => app.quit());
  await app.whenReady();
  const paths = desktopPaths({
    packaged: app.isPackaged,
    resourcesPath: process.resourcesPath,
    appPath: app.getAppPath(),
  });
  const meterArchive = meterImageArchivePath(
    app.isPackaged ? { resourcesPath: process.resourcesPath } : { repoRoot: app.getAppPath() },
  );
  const backend = await startBackend({
    // NODELESS_DATA_DIR lets tests and developers point the app at a scratch store.
    dataDir: process.env['NODELESS_DATA_DIR'] ?? path.join(app.getPath('userData'), 'data'),
    rendererDir: paths.rendererDir,
    nativeBinding: paths.sqliteBinding,
    secretBox: safeStorageBox(safeStorage),
    ...(meterArchive
      ? { meter: { imageArchive: meterArchive }, bootstrap: { meterImageArchive: meterArchive } }
      : {}),
  });
  hardenSession(backend.url);
  const window = createMainWindow(`${backend.url}/?token=${backend.token}`, backend.url);
  // A second launch focuses this window instead of starting another backend on the same data.
  app.on('second-instance', () => {
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('before-quit', (event) => {
    event.preventDefault();
    app.removeAllListeners('before-quit');
    void backend.close().finally(() => app.quit());
  });
}
