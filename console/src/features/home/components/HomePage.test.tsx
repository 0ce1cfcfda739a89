import { render, screen } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";

import { HomePage } from "./HomePage";

const session = vi.hoisted(() => ({ roles: [] as string[] }));

vi.mock("@/lib/auth/SessionProvider", () => ({
  useSession: () => ({
    me: { subject: "u1", kind: "user", roles: session.roles, team: "north", permissions: [] },
    hasRole: (...wanted: string[]) => wanted.some((role) => session.roles.includes(role)),
  }),
}));
vi.mock("./RepSection", () => ({ RepSection: () => <p>rep section</p> }));
vi.mock("./ManagerSection", () => ({ ManagerSection: () => <p>manager section</p> }));
vi.mock("./MarketerSection", () => ({ MarketerSection: () => <p>marketer section</p> }));
vi.mock("./AgentSection", () => ({ AgentSection: () => <p>agent section</p> }));
vi.mock("./DashboardSection", () => ({ DashboardSection: () => <p>dashboard section</p> }));

const shown = () => screen.queryAllByText(/section$/).map((node) => node.textContent);

describe("HomePage", () => {
  beforeEach(() => {
    session.roles = [];
  });

  it("shows a rep their own section only", () => {
    session.roles = ["sales_rep"];
    render(<HomePage />);
    expect(shown()).toEqual(["rep section"]);
  });

  it("shows one section per role held", () => {
    session.roles = ["sales_manager", "marketer"];
    render(<HomePage />);
    expect(shown()).toEqual(["manager section", "marketer section"]);
  });

  it("shows analysts and administrators the dashboard", () => {
    session.roles = ["admin"];
    render(<HomePage />);
    expect(shown()).toEqual(["dashboard section"]);
  });
});
