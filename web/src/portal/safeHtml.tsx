// Article and post bodies: the server renders Markdown to sanitised HTML (body_html). The help
// centre still never hands that HTML to the browser as HTML: it is parsed inertly
// (DOMParser runs no scripts and loads nothing) and rebuilt as React elements from an
// allowlist of tags, attributes and URL schemes. A second line of defence, and it lets
// links inside the help centre open without reloading the page.
import { createElement, useMemo, type ReactNode } from "react";
import { portalLinkClick } from "./routes";

/** The little of a DOM node the rebuilding reads (a real DOM node in the browser, a plain object in tests). */
export interface HtmlNode {
  nodeType: number; // 1 element, 3 text; anything else is dropped
  nodeName: string;
  nodeValue: string | null;
  childNodes: ArrayLike<HtmlNode>;
  getAttribute?: (name: string) => string | null;
}

const GLOBAL_ATTRS = ["title", "lang", "dir"];
/** Tag → the attributes it keeps (besides title, lang, dir). */
const TAGS: Record<string, string[]> = {
  p: [], br: [], hr: [], div: [], span: [],
  h2: ["id"], h3: ["id"], h4: ["id"], h5: ["id"], h6: ["id"],
  strong: [], b: [], em: [], i: [], u: [], del: [], s: [], ins: [], mark: [], small: [], sub: [], sup: [], kbd: [], abbr: [],
  code: ["class"], pre: [], blockquote: [], q: [],
  ul: [], ol: ["start", "reversed"], li: [], dl: [], dt: [], dd: [],
  a: ["href"], img: ["src", "alt", "width", "height"],
  table: [], thead: [], tbody: [], tfoot: [], tr: [], th: ["align", "colspan", "rowspan", "scope"], td: ["align", "colspan", "rowspan"],
  caption: [], colgroup: [], col: ["span"],
  details: ["open"], summary: [], figure: [], figcaption: [],
  input: ["type", "checked"],
};
/** Elements whose content must never be shown (it is code or metadata, not text). */
const DROP = new Set([
  "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "template", "noscript", "noembed",
  "textarea", "select", "option", "button", "form", "svg", "math", "title", "head", "meta", "link", "base", "video", "audio", "canvas",
]);
const MAX_DEPTH = 64;

/**
 * A URL that may be followed or loaded: relative, #fragment, http(s), mailto/tel (links only),
 * data:image (images only). Anything else (javascript:, vbscript:, data:text/html…) is null.
 * Tabs and newlines (which browsers ignore) are removed; other control characters reject it.
 */
export function safeUrl(value: string | null | undefined, kind: "link" | "image"): string | null {
  if (value == null) return null;
  // Browsers drop tabs and newlines anywhere and spaces at the ends; other control
  // characters have no business in a link at all.
  const trimmed = value.replace(/[\t\n\r]/g, "").trim();
  // eslint-disable-next-line no-control-regex
  if (!trimmed || /[\u0000-\u001f\u007f-\u009f]/.test(trimmed)) return null;
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(trimmed);
  if (!scheme) return trimmed; // relative: a path, ?query or #fragment
  const s = scheme[1].toLowerCase();
  if (s === "http" || s === "https") return trimmed;
  if (kind === "link" && (s === "mailto" || s === "tel")) return trimmed;
  if (kind === "image" && s === "data" && /^data:image\/(png|gif|jpe?g|webp);/i.test(trimmed)) return trimmed;
  return null;
}

/** Whether a link leaves the help centre (it then opens in a new tab). */
function isExternal(href: string): boolean {
  if (/^(mailto|tel):/i.test(href)) return false;
  if (/^https?:\/\//i.test(href) || href.startsWith("//")) {
    try {
      return typeof location === "undefined" || new URL(href, location.href).origin !== location.origin;
    } catch {
      return true;
    }
  }
  return false;
}

export interface RebuildOptions {
  /** Written by customers (community posts): external links get rel="nofollow ugc". */
  ugc?: boolean;
}

/** The nodes as React elements, keeping only what the allowlist allows. */
export function htmlToReact(nodes: ArrayLike<HtmlNode>, options: RebuildOptions = {}, depth = 0): ReactNode[] {
  const out: ReactNode[] = [];
  for (let idx = 0; idx < nodes.length; idx++) {
    const node = nodes[idx];
    if (node.nodeType === 3) {
      if (node.nodeValue) out.push(node.nodeValue);
      continue;
    }
    if (node.nodeType !== 1) continue;
    const tag = node.nodeName.toLowerCase();
    if (DROP.has(tag) || depth >= MAX_DEPTH) continue;
    // An article has its own title as the page's h1: headings in the body start at h2.
    const name = tag === "h1" ? "h2" : tag;
    const allowed = TAGS[name];
    const children = () => htmlToReact(node.childNodes, options, depth + 1);
    if (!allowed) {
      out.push(...children()); // an unknown element: keep its text, drop the element
      continue;
    }
    const attr = (a: string) => node.getAttribute?.(a) ?? null;
    const props: Record<string, unknown> = { key: idx };
    for (const a of [...GLOBAL_ATTRS, ...allowed]) {
      const v = attr(a);
      if (v == null) continue;
      if (a === "href") {
        const href = safeUrl(v, "link");
        if (!href) continue;
        props.href = href;
        if (isExternal(href)) {
          props.target = "_blank";
          props.rel = options.ugc ? "noopener noreferrer nofollow ugc" : "noopener noreferrer";
        } else if (href.startsWith("/")) props.onClick = portalLinkClick;
      } else if (a === "src") {
        const src = safeUrl(v, "image");
        if (src) props.src = src;
      } else if (a === "class") {
        const classes = v.split(/\s+/).filter((c) => /^language-[\w+#.-]{1,40}$/.test(c));
        if (classes.length) props.className = classes.join(" ");
      } else if (a === "width" || a === "height" || a === "start" || a === "span" || a === "colspan" || a === "rowspan") {
        if (/^[0-9]{1,5}$/.test(v)) props[a === "colspan" ? "colSpan" : a === "rowspan" ? "rowSpan" : a] = Number(v);
      } else if (a === "align") {
        if (/^(left|right|center)$/i.test(v)) props.style = { textAlign: v.toLowerCase() };
      } else if (a === "checked" || a === "open" || a === "reversed") {
        props[a] = true;
      } else if (a === "type") {
        props.type = v;
      } else if (a === "id") {
        if (/^[\w-]{1,80}$/.test(v)) props.id = `article-${v}`; // never clobber the page's own ids
      } else if (a === "scope") {
        if (/^(row|col|rowgroup|colgroup)$/.test(v)) props.scope = v;
      } else props[a] = v;
    }
    if (name === "input") {
      // Only task-list checkboxes, shown, not editable.
      if (props.type !== "checkbox") continue;
      out.push(createElement("input", { key: idx, type: "checkbox", checked: !!props.checked, disabled: true, readOnly: true }));
      continue;
    }
    if (name === "img") {
      if (!props.src) continue;
      out.push(createElement("img", { ...props, loading: "lazy", decoding: "async", alt: props.alt ?? "" }));
      continue;
    }
    if (name === "a" && !props.href) {
      out.push(...children());
      continue;
    }
    const el = name === "br" || name === "hr" || name === "col" ? createElement(name, props) : createElement(name, props, ...children());
    // Wide tables scroll on their own instead of widening the page on a phone.
    out.push(name === "table" ? createElement("div", { key: idx, className: "p-table-wrap" }, el) : el);
  }
  return out;
}

/** Parses HTML without running or loading anything; null where there is no DOMParser. */
function parse(html: string): HtmlNode | null {
  if (typeof DOMParser === "undefined") return null;
  return new DOMParser().parseFromString(html, "text/html").body as unknown as HtmlNode;
}

/** Sanitised body HTML from the server, shown inside a styled container. */
export function SafeHtml({ html, className, ugc, testId, lang }: { html: string; className?: string; ugc?: boolean; testId?: string; lang?: string }) {
  const content = useMemo(() => {
    const body = parse(html);
    return body ? htmlToReact(body.childNodes, { ugc }) : null;
  }, [html, ugc]);
  return (
    <div className={className} data-testid={testId} lang={lang}>
      {content}
    </div>
  );
}
