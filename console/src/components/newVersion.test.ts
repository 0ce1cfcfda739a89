import { afterEach, describe, expect, it, vi } from "vitest";

import {
  claimReload,
  followRouter,
  isChunkLoadError,
  listenForNewVersion,
  RELOAD_GUARD_MS,
} from "./newVersion";

class MemoryStorage implements Storage {
  private items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  clear() {
    this.items.clear();
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  key(index: number) {
    return [...this.items.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
}

describe("isChunkLoadError", () => {
  it.each([
    "Failed to fetch dynamically imported module: https://crm.example/assets/SalesRoutes-D_daAAoR.js",
    "error loading dynamically imported module: https://crm.example/assets/SalesRoutes-x.js",
    "Importing a module script failed.",
    "Unable to preload CSS for /assets/index-D62mCKUe.css",
  ])("knows a chunk that did not load: %s", (message) => {
    expect(isChunkLoadError(new TypeError(message))).toBe(true);
  });

  it("knows a chunk load error by its name", () => {
    const error = new Error("Loading chunk 7 failed.");
    error.name = "ChunkLoadError";
    expect(isChunkLoadError(error)).toBe(true);
  });

  it("does not take another error for a new version", () => {
    expect(isChunkLoadError(new TypeError("Cannot read properties of undefined"))).toBe(false);
    expect(isChunkLoadError("Failed to fetch dynamically imported module")).toBe(false);
    expect(isChunkLoadError(undefined)).toBe(false);
  });
});

describe("claimReload", () => {
  it("reloads a path once, then not again within the guard", () => {
    const storage = new MemoryStorage();
    expect(claimReload(storage, "/sales/forecast", 1_000)).toBe(true);
    expect(claimReload(storage, "/sales/forecast", 1_500)).toBe(false);
    expect(claimReload(storage, "/sales/forecast", 1_000 + RELOAD_GUARD_MS - 1)).toBe(false);
  });

  it("reloads the same path again once the guard has passed", () => {
    const storage = new MemoryStorage();
    expect(claimReload(storage, "/sales/forecast", 1_000)).toBe(true);
    expect(claimReload(storage, "/sales/forecast", 1_000 + RELOAD_GUARD_MS)).toBe(true);
    expect(claimReload(storage, "/sales/forecast", 1_000 + RELOAD_GUARD_MS + 1)).toBe(false);
  });

  it("reloads for another path", () => {
    const storage = new MemoryStorage();
    expect(claimReload(storage, "/sales/forecast", 1_000)).toBe(true);
    expect(claimReload(storage, "/customers", 1_100)).toBe(true);
  });

  it("treats a damaged record as none", () => {
    const storage = new MemoryStorage();
    storage.setItem("crm.console.newVersionReload", "{not json");
    expect(claimReload(storage, "/sales/forecast", 1_000)).toBe(true);
    expect(claimReload(storage, "/sales/forecast", 1_001)).toBe(false);
  });

  it("does not reload when the reload cannot be recorded", () => {
    const storage = new MemoryStorage();
    storage.setItem = () => {
      throw new DOMException("quota", "QuotaExceededError");
    };
    expect(claimReload(storage, "/sales/forecast", 1_000)).toBe(false);
  });
});

describe("listenForNewVersion", () => {
  afterEach(() => followRouter(() => false));

  function failedChunk(navigating: boolean) {
    followRouter(() => navigating);
    const target = new EventTarget() as Window;
    const reload = vi.fn();
    const stop = listenForNewVersion(target, reload);
    target.dispatchEvent(new Event("vite:preloadError"));
    stop();
    return reload;
  }

  it("reloads for a chunk that failed outside the router's opening of a screen", () => {
    expect(failedChunk(false)).toHaveBeenCalledOnce();
  });

  it("leaves a screen's chunk failing while the router opens it to that screen's error", () => {
    // The address is still the page being left; reloading it would not open the screen.
    expect(failedChunk(true)).not.toHaveBeenCalled();
  });
});
