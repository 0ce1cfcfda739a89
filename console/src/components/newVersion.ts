/**
 * A console redeployed under a person still working in it: the screens' code has new
 * file names, so the next screen loaded on demand asks for a chunk that is gone. That
 * is told apart from other errors here, and the page is reloaded once to fetch the new
 * build, never in a loop: the path and time of the last such reload are kept in
 * sessionStorage (nothing secret, and only for this tab).
 */

const RELOADED = "crm.console.newVersionReload";
/** A second failure of the same path this soon after reloading it is not retried by
 * itself: the person is offered the reload instead. */
export const RELOAD_GUARD_MS = 60_000;

/** What browsers and Vite say when a module or its stylesheet cannot be fetched:
 * Chromium, Firefox, Safari, Vite's CSS preload. */
const CHUNK_FAILURES = [
  /failed to fetch dynamically imported module/i,
  /error loading dynamically imported module/i,
  /importing a module script failed/i,
  /unable to preload css/i,
];

export function isChunkLoadError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === "ChunkLoadError") return true;
  return CHUNK_FAILURES.some((pattern) => pattern.test(error.message));
}

type Reloaded = { path: string; at: number };

function lastReload(storage: Storage): Reloaded | null {
  const raw = storage.getItem(RELOADED);
  if (!raw) return null;
  try {
    const value: unknown = JSON.parse(raw);
    if (
      typeof value === "object" &&
      value !== null &&
      "path" in value &&
      "at" in value &&
      typeof value.path === "string" &&
      typeof value.at === "number"
    ) {
      return { path: value.path, at: value.at };
    }
  } catch {
    // Not ours or damaged: as if never reloaded.
  }
  return null;
}

/**
 * Whether to reload the page for a chunk of `path` that failed to load at `now`; if
 * so, the reload is recorded first. No when this path was reloaded for the same reason
 * less than RELOAD_GUARD_MS ago, and no when nothing can be recorded (storage refused),
 * since a reload that cannot be remembered could repeat for ever.
 */
export function claimReload(storage: Storage, path: string, now: number): boolean {
  try {
    const last = lastReload(storage);
    if (last && last.path === path && now - last.at >= 0 && now - last.at < RELOAD_GUARD_MS) {
      return false;
    }
    storage.setItem(RELOADED, JSON.stringify({ path, at: now } satisfies Reloaded));
    return true;
  } catch {
    return false;
  }
}

/** Reloads the page once for a failed chunk of the current address; true if it did. */
export function reloadOnceForNewVersion(): boolean {
  let storage: Storage;
  try {
    storage = window.sessionStorage;
  } catch {
    return false;
  }
  if (!claimReload(storage, window.location.pathname, Date.now())) return false;
  window.location.reload();
  return true;
}

/** Whether the router is between a click and the next screen; told by the router. */
let routerNavigating: () => boolean = () => false;

/** The router says how to know it is opening a screen (see listenForNewVersion). */
export function followRouter(navigating: () => boolean): void {
  routerNavigating = navigating;
}

/**
 * Vite's event for a chunk (or its stylesheet) that could not be loaded: the page is
 * reloaded once, as for a failed screen. The event is not cancelled, so the import
 * still fails and the screen's error shows in case no reload is made. While the router
 * opens a screen, the address is still the page being left: that screen's error
 * reloads instead, once the router has moved to the address the person chose.
 */
export function listenForNewVersion(
  target: Window = window,
  reload: () => unknown = reloadOnceForNewVersion,
): () => void {
  const onPreloadError = () => {
    if (!routerNavigating()) reload();
  };
  target.addEventListener("vite:preloadError", onPreloadError);
  return () => target.removeEventListener("vite:preloadError", onPreloadError);
}
