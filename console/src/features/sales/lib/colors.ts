/** Tag colours dark enough for white text to meet WCAG AA (Ant Design's light preset
 * tags, such as "green" or "gold", do not). */
export const TAG = {
  blue: "#1360d6",
  green: "#237804",
  gold: "#ad4e00",
  red: "#a8071a",
  purple: "#531dab",
  cyan: "#006d75",
  grey: "#595959",
} as const;
