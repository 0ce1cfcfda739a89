import { theme } from "antd";
import { describe, expect, it } from "vitest";

import { THEME, themeFor } from "./theme";

type Rgb = [number, number, number];

/** A CSS colour (#rrggbb or rgba()) as it shows over the background. */
function over(color: string, background: Rgb): Rgb {
  const hex = /^#([0-9a-f]{6})$/i.exec(color);
  if (hex?.[1]) {
    const value = hex[1];
    return [0, 2, 4].map((at) => parseInt(value.slice(at, at + 2), 16)) as Rgb;
  }
  const rgba = /^rgba?\(([^)]+)\)$/.exec(color);
  if (!rgba?.[1]) throw new Error(`not a colour: ${color}`);
  const [r = 0, g = 0, b = 0, a = 1] = rgba[1].split(",").map((part) => Number(part.trim()));
  return [r, g, b].map((channel, i) => channel * a + (background[i] ?? 255) * (1 - a)) as Rgb;
}

function luminance([r, g, b]: Rgb): number {
  const linear = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

function contrast(color: string, background: Rgb): number {
  const [light, dark] = [luminance(over(color, background)), luminance(background)].sort(
    (x, y) => y - x,
  ) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

const WHITE: Rgb = [255, 255, 255];
const LAYOUT_GREY: Rgb = [245, 245, 245]; // colorBgLayout, and a disabled field's fill

describe("the console's theme", () => {
  const token = theme.getDesignToken(THEME);
  const textColours = [
    "colorText",
    "colorTextSecondary",
    "colorTextTertiary",
    "colorTextDescription",
    "colorTextPlaceholder",
    "colorTextDisabled",
    "colorPrimary",
    "colorPrimaryHover",
    "colorPrimaryActive",
    "colorPrimaryText",
    "colorPrimaryTextHover",
    "colorPrimaryTextActive",
    "colorLink",
    "colorLinkHover",
    "colorLinkActive",
    "colorError",
    "colorErrorHover",
    "colorErrorActive",
    "colorErrorText",
    "colorErrorTextHover",
    "colorErrorTextActive",
    "colorSuccess",
    "colorSuccessText",
    "colorSuccessTextHover",
    "colorWarning",
    "colorWarningText",
    "colorWarningTextHover",
    "colorInfoText",
    "colorInfoTextHover",
  ] as const;

  it.each(textColours)("%s meets WCAG AA (4.5:1) on white and on the page's grey", (name) => {
    const colour = String(token[name]);
    expect(contrast(colour, WHITE)).toBeGreaterThanOrEqual(4.5);
    expect(contrast(colour, LAYOUT_GREY)).toBeGreaterThanOrEqual(4.5);
  });

  it("white text meets AA on primary and danger buttons, also when hovered", () => {
    for (const name of ["colorPrimary", "colorPrimaryHover", "colorError", "colorErrorHover"]) {
      expect(
        contrast("#ffffff", over(String(token[name as "colorPrimary"]), WHITE)),
      ).toBeGreaterThanOrEqual(4.5);
    }
  });
});

describe("motion", () => {
  it("is off for a person who asked for less motion, and the colours stay", () => {
    expect(themeFor(true).token?.motion).toBe(false);
    expect(themeFor(false).token?.motion).toBe(true);
    expect(themeFor(true).token?.colorPrimary).toBe(THEME.token?.colorPrimary);
  });
});
