import { createRoot } from "react-dom/client";
import "./portal.css";
import "./help.css";
import "./i18n";
import { PortalApp } from "./PortalApp";

createRoot(document.getElementById("root")!).render(<PortalApp />);
