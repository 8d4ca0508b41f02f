/** The agent console: sign-in, search, a subscriber's live diagnosis, the NOC's incidents. */
import "./styles.css";
import { render } from "preact";
import { App } from "./app.js";

const root = document.getElementById("app");
if (root) {
  root.textContent = "";
  render(<App />, root);
}
