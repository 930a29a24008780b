/**
 * Opens the kiosk in an Electron window when asked to; without the Electron binary (it cannot
 * always be downloaded) the kiosk keeps serving and the person is told to use a browser.
 * Returns a function that closes the window, if one was opened.
 */
export async function openInElectron(url: string): Promise<() => Promise<void>> {
  const { ElectronUnavailableError, launchElectronKiosk } = await import('@cardbind/kiosk');
  try {
    const electron = await launchElectronKiosk({ url });
    return () => electron.close();
  } catch (error) {
    if (!(error instanceof ElectronUnavailableError)) throw error;
    console.error(error.message);
    return async () => {};
  }
}
