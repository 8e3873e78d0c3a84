// MV3 content scripts cannot be ES modules, so this classic script imports the module graph.
// content/ and lib/ are web-accessible only on the marketplace and loopback pages (manifest).
(async () => {
  try {
    const { start } = await import(chrome.runtime.getURL('content/main.js'));
    start();
  } catch {
    // The extension was reloaded or removed under this page: nothing to run.
  }
})();
