import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { App } from "antd";
import { beforeEach, describe, expect, it, vi } from "vitest";

import { ApiError } from "@/lib/api/problem";

import type { NoticeSettings, NoticeTemplate } from "../api/customerNotices";
import { CustomerNoticesPage } from "./CustomerNoticesPage";

const state = vi.hoisted(() => ({
  templates: [] as unknown[],
  settings: null as unknown,
  saveTemplate: vi.fn(),
  saveSettings: vi.fn(),
  refetchTemplates: vi.fn(),
  refetchSettings: vi.fn(),
}));

vi.mock("../api/customerNotices", () => ({
  useNoticeTemplates: () => ({
    data: state.templates,
    isPending: false,
    isFetching: false,
    error: null,
    refetch: state.refetchTemplates,
  }),
  useNoticeSettings: () => ({
    data: state.settings,
    isPending: false,
    isFetching: false,
    error: null,
    refetch: state.refetchSettings,
  }),
  useSaveNoticeTemplate: () => ({ mutateAsync: state.saveTemplate, isPending: false }),
  useSaveNoticeSettings: () => ({ mutateAsync: state.saveSettings, isPending: false }),
}));

function template(kind: NoticeTemplate["kind"], language: NoticeTemplate["language"]) {
  return {
    kind,
    language,
    subject: `${kind} ${language}`,
    body: "Dear ${customer_name}",
    variables:
      kind === "order_status"
        ? ["customer_name", "order_number", "status"]
        : ["customer_name", "amount"],
    default: true,
    version: 0,
    updated_at: null,
    updated_by: null,
  } satisfies NoticeTemplate;
}

const settings: NoticeSettings = {
  payment_reminder_days_before: [1, 7],
  overdue_notice_days_after: [1, 7, 30],
  version: 3,
  updated_at: null,
  updated_by: null,
};

// A busy machine (the whole suite at once) renders Ant Design's error lists slowly.

function show() {
  render(
    <App>
      <CustomerNoticesPage />
    </App>,
  );
}

const refused = (status: number, field?: string) =>
  new ApiError(status, {
    status,
    title: "refused",
    errors: field ? [{ field, reason: "The body uses unknown placeholder(s) foo." }] : undefined,
  });

describe("CustomerNoticesPage", () => {
  beforeEach(() => {
    state.templates = [
      template("payment_reminder", "zh-CN"),
      template("payment_reminder", "en"),
      template("order_status", "zh-CN"),
      template("order_status", "en"),
    ];
    state.settings = settings;
    for (const mock of [
      state.saveTemplate,
      state.saveSettings,
      state.refetchTemplates,
      state.refetchSettings,
    ])
      mock.mockReset();
  });

  it("saves the steps sorted with the version read, and refuses a day that is no whole day", async () => {
    state.saveSettings.mockResolvedValue(settings);
    show();
    const before = screen.getByRole("group", {
      name: "customerNotices.payment_reminder_days_before",
    });
    await userEvent.click(
      within(before).getByRole("button", { name: "customerNotices.addStepTo" }),
    );
    const added = within(before).getAllByRole("spinbutton").at(-1) as HTMLElement;
    await userEvent.type(added, "0");
    await userEvent.click(screen.getByRole("button", { name: "customerNotices.saveSteps" }));
    await waitFor(() =>
      expect(within(before).getByText("customerNotices.day")).toBeInTheDocument(),
    );
    expect(state.saveSettings).not.toHaveBeenCalled();

    await userEvent.clear(added);
    await userEvent.type(added, "3");
    const [first] = within(before).getAllByRole("spinbutton");
    await userEvent.clear(first as HTMLElement);
    await userEvent.type(first as HTMLElement, "14");
    await userEvent.click(screen.getByRole("button", { name: "customerNotices.saveSteps" }));

    await waitFor(() => expect(state.saveSettings).toHaveBeenCalledTimes(1));
    expect(state.saveSettings).toHaveBeenCalledWith({
      version: 3,
      body: { payment_reminder_days_before: [3, 7, 14], overdue_notice_days_after: [1, 7, 30] },
    });
  });

  it("puts the server's error on the steps list it names", async () => {
    state.saveSettings.mockRejectedValue(refused(422, "body.overdue_notice_days_after"));
    show();
    await userEvent.click(screen.getByRole("button", { name: "customerNotices.saveSteps" }));
    const after = screen.getByRole("group", { name: "customerNotices.overdue_notice_days_after" });
    await waitFor(() =>
      expect(within(after).getByText(/fieldErrors\.invalid/)).toBeInTheDocument(),
    );
  });

  it("inserts a clicked placeholder at the caret of the field last in focus", async () => {
    show();
    const subject = screen.getByLabelText("customerNotices.subject");
    await userEvent.clear(subject);
    await userEvent.type(subject, "Order  now");
    (subject as HTMLInputElement).setSelectionRange(6, 6);
    await userEvent.click(
      screen.getAllByRole("button", { name: "customerNotices.insert" })[0] as HTMLElement,
    );
    expect(subject).toHaveValue("Order ${customer_name} now");
    expect(screen.getByTestId("notice-preview")).toHaveTextContent("Order 张三 now");
  });

  it("shows the server's 422 beside the field it names and saves with If-Match's version", async () => {
    state.saveTemplate.mockRejectedValue(refused(422, "body.body"));
    show();
    const body = screen.getByLabelText("customerNotices.body");
    await userEvent.clear(body);
    await userEvent.type(body, "Hi ${{foo}");
    await userEvent.click(screen.getByRole("button", { name: "customerNotices.saveTemplate" }));

    await waitFor(() => expect(state.saveTemplate).toHaveBeenCalledTimes(1));
    expect(state.saveTemplate).toHaveBeenCalledWith({
      kind: "payment_reminder",
      language: "zh-CN",
      version: 0,
      body: { subject: "payment_reminder zh-CN", body: "Hi ${foo}" },
    });
    const item = body.closest(".ant-form-item") as HTMLElement;
    await waitFor(() => expect(within(item).getByText(/fieldErrors\.invalid/)).toBeInTheDocument());
    const subjectItem = screen
      .getByLabelText("customerNotices.subject")
      .closest(".ant-form-item") as HTMLElement;
    expect(within(subjectItem).queryByText(/fieldErrors/)).toBeNull();
  });

  it("says someone else changed the template and reloads it on request", async () => {
    state.saveTemplate.mockRejectedValue(refused(412));
    show();
    await userEvent.click(screen.getByRole("button", { name: "customerNotices.saveTemplate" }));

    await waitFor(() => expect(screen.getByText("customerNotices.conflict")).toBeInTheDocument());
    await userEvent.click(screen.getByRole("button", { name: "customerNotices.reload" }));
    expect(state.refetchTemplates).toHaveBeenCalledTimes(1);
  });
});
