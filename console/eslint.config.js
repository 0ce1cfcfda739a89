import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

const FEATURES = [
  "home",
  "customers",
  "sales",
  "marketing",
  "support",
  "analytics",
  "settings",
  "notifications",
];

export default tseslint.config(
  { ignores: ["dist", "node_modules", "src/lib/api/schema.d.ts"] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    files: ["**/*.{ts,tsx}"],
    languageOptions: { globals: globals.browser },
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["../features/*", "../../features/*"],
              message: "Use @/features/... from the app only.",
            },
          ],
        },
      ],
    },
  },
  // Code flows one way, shared -> features -> app: a feature never imports another,
  // and shared code (components, lib) imports no feature.
  ...FEATURES.map((feature) => ({
    files: [`src/features/${feature}/**/*.{ts,tsx}`],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: FEATURES.filter((other) => other !== feature).map(
                (other) => `@/features/${other}/*`,
              ),
              message: "Features do not import each other; compose them in src/app.",
            },
            { group: ["@/app/*"], message: "Features do not import the app." },
          ],
        },
      ],
    },
  })),
  {
    files: ["src/components/**/*.{ts,tsx}", "src/lib/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@/features/*", "@/app/*"],
              message: "Shared code imports no feature or app module.",
            },
          ],
        },
      ],
    },
  },
);
