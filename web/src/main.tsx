import { render } from "preact";
import "./styles.css";
import "./routes";
import { restoreSession } from "./api/session";
import { App } from "./app";
import "./lib/push-lifecycle";
import { interceptLinks } from "./router";

const root = document.getElementById("app") as HTMLElement;
interceptLinks(root);
void restoreSession();
render(<App />, root);
