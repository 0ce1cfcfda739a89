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

/** One colour per status, the same on every screen that shows it. */
export const ORDER_COLOR = {
  placed: TAG.blue,
  confirmed: TAG.cyan,
  shipped: TAG.purple,
  delivered: TAG.gold,
  completed: TAG.green,
  cancelled: TAG.grey,
} as const;
export const INVOICE_COLOR = { open: TAG.blue, paid: TAG.green, overdue: TAG.red } as const;
export const QUOTE_COLOR = {
  draft: TAG.grey,
  sent: TAG.blue,
  accepted: TAG.green,
  rejected: TAG.red,
} as const;
