/**
 * The console's one Ant Design theme, for every screen. Ant Design's default blue,
 * red, green and orange and its lighter hover shades are below WCAG AA contrast (4.5:1)
 * on white and on the page's grey, so the seeds and every shade that colours text are
 * set dark enough here; theme.test.ts checks each against both backgrounds.
 */
import type { ThemeConfig } from "antd";

const BASE: ThemeConfig = {
  token: {
    colorPrimary: "#1360d6",
    colorPrimaryHover: "#0f4fb0",
    colorPrimaryActive: "#0c4192",
    colorPrimaryTextHover: "#0f4fb0",
    colorInfo: "#1360d6",
    colorInfoTextHover: "#0f4fb0",
    colorLink: "#1360d6",
    colorLinkHover: "#0f4fb0",
    colorLinkActive: "#0c4192",
    colorError: "#c62828",
    colorErrorHover: "#a51f1f",
    colorErrorActive: "#8e1b1b",
    colorErrorTextHover: "#a51f1f",
    colorSuccess: "#237804",
    colorSuccessTextHover: "#1b5e03",
    colorWarning: "#ad4e00",
    colorWarningTextHover: "#8a3e00",
    colorTextSecondary: "rgba(0, 0, 0, 0.65)",
    colorTextTertiary: "rgba(0, 0, 0, 0.6)",
    colorTextDescription: "rgba(0, 0, 0, 0.62)",
    colorTextPlaceholder: "rgba(0, 0, 0, 0.55)",
    // A disabled control need not meet AA, but its text is still read (the roles in
    // the account menu are a disabled item).
    colorTextDisabled: "rgba(0, 0, 0, 0.58)",
    borderRadius: 6,
  },
};

/** The theme, without Ant Design's animations for a person who asked their system for
 * less motion: drawers, tags and button spinners then change at once. */
export function themeFor(reducedMotion: boolean): ThemeConfig {
  return { ...BASE, token: { ...BASE.token, motion: !reducedMotion } };
}

export const THEME = themeFor(false);
