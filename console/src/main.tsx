import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

import "./app/global.css";
import "./app/i18n";
import { App } from "./app/App";

const root = document.getElementById("root");
if (!root) throw new Error("no #root element");
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
