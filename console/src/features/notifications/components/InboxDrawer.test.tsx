import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { App } from "antd";
import { MemoryRouter } from "react-router";
import { beforeEach, describe, expect, it, vi } from "vitest";

import type { Notification } from "../api/inbox";
import InboxDrawer from "./InboxDrawer";

const state = vi.hoisted(() => ({
  items: [] as unknown[],
  markRead: vi.fn(),
  markAll: vi.fn(),
}));

vi.mock("../api/inbox", () => ({
  useInbox: () => ({
    data: { items: state.items, total: state.items.length, offset: 0, limit: 20 },
    isPending: false,
    error: null,
  }),
  useMarkRead: () => ({ mutate: state.markRead }),
  useMarkAllRead: () => ({ mutate: state.markAll, isPending: false }),
}));

function notification(id: string, read: boolean, path: string, urgent = false): Notification {
  return {
    notification_id: id,
    kind: urgent ? "sla_breached" : "lead_assigned",
    title: `title ${id}`,
    body: `body ${id}`,
    urgent,
    record: { type: "lead", id, path },
    created_at: "2026-03-01T09:00:00Z",
    read_at: read ? "2026-03-01T10:00:00Z" : null,
    sequence: 1,
  };
}

function show(onClose = vi.fn()) {
  render(
    <MemoryRouter>
      <App>
        <InboxDrawer onClose={onClose} />
      </App>
    </MemoryRouter>,
  );
  return onClose;
}

describe("InboxDrawer", () => {
  beforeEach(() => {
    state.markRead.mockReset();
    state.markAll.mockReset();
  });

  it("links each item to its record and marks an unread one read when it is opened", async () => {
    state.items = [
      notification("n2", false, "/support/tickets/t9", true),
      notification("n1", true, "/sales/leads/l1"),
    ];
    const onClose = show();

    const unread = screen.getByRole("link", { name: "title n2" });
    const read = screen.getByRole("link", { name: "title n1" });
    expect(unread).toHaveAttribute("href", "/support/tickets/t9");
    expect(read).toHaveAttribute("href", "/sales/leads/l1");
    const first = unread.closest("li");
    expect(first).toHaveAttribute("data-unread", "true");
    expect(within(first as HTMLElement).getByText("inbox.urgent")).toBeInTheDocument();

    await userEvent.click(unread);
    await userEvent.click(read);

    expect(state.markRead.mock.calls).toEqual([["n2"]]);
    expect(onClose).toHaveBeenCalledTimes(2);
  });

  it("marks all read, and offers it only while something is unread", async () => {
    state.items = [notification("n1", false, "/sales/leads/l1")];
    show();

    await userEvent.click(screen.getByRole("button", { name: "inbox.markAllRead" }));

    expect(state.markAll).toHaveBeenCalledTimes(1);
  });

  it("does not offer to mark all read when everything is read", () => {
    state.items = [notification("n1", true, "/sales/leads/l1")];
    show();

    expect(screen.getByRole("button", { name: "inbox.markAllRead" })).toBeDisabled();
  });
});
