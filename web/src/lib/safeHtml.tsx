// Rendering HTML the server made from Markdown (already sanitised there) as React elements,
// never through innerHTML: the HTML is parsed inertly (DOMParser in the browser runs no
// scripts and loads nothing; elsewhere a small parser of our own) and rebuilt from an
// allow-list of tags, attributes and URL schemes, so a mistake on the server still cannot
// run script here (defence in depth). Used by the agent app and the help centre.
import { createElement, useMemo, type MouseEventHandler, type ReactNode } from "react";

/** The little of a DOM node the rebuilding reads (a real DOM node in the browser, a plain object otherwise). */
export interface HtmlNode {
  nodeType: number; // 1 element, 3 text; anything else is dropped
  nodeName: string;
  nodeValue: string | null;
  childNodes: ArrayLike<HtmlNode>;
  getAttribute?: (name: string) => string | null;
}

const GLOBAL_ATTRS = ["title", "lang", "dir"];
/** Tag → the attributes it keeps (besides title, lang, dir). h1 is shown as h2. */
const TAGS: Record<string, string[]> = {
  p: [], br: [], hr: [], wbr: [], div: [], span: [],
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
/** Elements dropped together with their content (it is code, metadata or a control, not text). */
const DROP = new Set([
  "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "template", "noscript", "noembed", "noframes",
  "xmp", "textarea", "select", "option", "button", "form", "svg", "math", "title", "head", "meta", "link", "base", "video",
  "audio", "canvas",
]);
/** Elements without content. */
const VOID = new Set(["br", "hr", "img", "input", "wbr", "area", "base", "col", "embed", "link", "meta", "param", "source", "track"]);
/** Elements where text between children is layout whitespace only (React and the DOM disagree on it). */
const NO_TEXT = new Set(["table", "thead", "tbody", "tfoot", "tr", "colgroup", "ul", "ol", "dl"]);
const MAX_DEPTH = 64;

// ------------------------------------------------------------------ URLs

/**
 * A URL that may be followed or loaded: relative (a path, ?query or #fragment), http(s),
 * mailto/tel (links only), data:image png/gif/jpeg/webp (images only). Anything else
 * (javascript:, vbscript:, data:text/html…, and protocol-relative //host) is null.
 * Tabs and newlines (which browsers ignore) are removed; other control characters reject it.
 * The scheme is checked on exactly the string returned.
 */
export function safeUrl(value: string | null | undefined, kind: "link" | "image" = "link"): string | null {
  if (value == null) return null;
  const trimmed = value.replace(/[\t\n\r]/g, "").trim();
  // eslint-disable-next-line no-control-regex
  if (!trimmed || /[\u0000-\u001f\u007f-\u009f]/.test(trimmed)) return null;
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(trimmed);
  if (!scheme) {
    // "//host" and "/\host" (browsers read a backslash as a slash) leave the site without a scheme.
    return /^[/\\]{2}/.test(trimmed) ? null : trimmed;
  }
  const s = scheme[1].toLowerCase();
  if (s === "http" || s === "https") return trimmed;
  if (kind === "link" && (s === "mailto" || s === "tel")) return trimmed;
  if (kind === "image" && s === "data" && /^data:image\/(png|gif|jpe?g|webp);/i.test(trimmed)) return trimmed;
  return null;
}

/** Whether a link leaves this site (it then opens in a new tab). */
function isExternal(href: string): boolean {
  if (!/^https?:\/\//i.test(href)) return false;
  try {
    return typeof location === "undefined" || new URL(href, location.href).origin !== location.origin;
  } catch {
    return true;
  }
}

// ------------------------------------------------------------------ parsing without a DOM

const NAMED: Record<string, string> = {
  amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0", copy: "©", reg: "®", hellip: "…", mdash: "—", ndash: "–",
  laquo: "«", raquo: "»", lsquo: "‘", rsquo: "’", ldquo: "“", rdquo: "”", middot: "·", times: "×",
};

/** Character references decoded (numeric ones, and the named ones Markdown output uses). */
export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, body: string) => {
    if (body[0] === "#") {
      const code = body[1] === "x" || body[1] === "X" ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      if (!Number.isFinite(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return "\ufffd";
      return String.fromCodePoint(code);
    }
    return NAMED[body.toLowerCase()] ?? whole;
  });
}

/** Elements whose raw content is skipped by the parser (it is not markup to read). */
const RAW_SKIP = new Set(["script", "style", "textarea", "title", "iframe", "noscript", "xmp", "template", "object", "svg", "math", "select", "noembed", "noframes"]);

interface ParsedElement extends HtmlNode {
  childNodes: HtmlNode[];
  attrs: Record<string, string>;
}

function element(tag: string, attrs: Record<string, string>): ParsedElement {
  return { nodeType: 1, nodeName: tag, nodeValue: null, childNodes: [], attrs, getAttribute: (n) => (n in attrs ? attrs[n] : null) };
}

function parseAttrs(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) {
    const name = m[1].toLowerCase();
    if (!(name in out)) out[name] = decodeEntities(m[2] ?? m[3] ?? m[4] ?? "");
  }
  return out;
}

/** The HTML as a tree without a DOM (lenient, like a browser for the markup cmark-gfm makes). */
export function parseHtml(html: string): HtmlNode[] {
  const root = element("#root", {});
  const stack: ParsedElement[] = [root];
  const top = () => stack[stack.length - 1];
  let i = 0;
  const pushText = (t: string) => {
    const kids = top().childNodes;
    // As in browsers: a newline right after <pre> is not part of its text.
    if (top().nodeName === "pre" && kids.length === 0) t = t.replace(/^\r?\n/, "");
    if (!t) return;
    const text = decodeEntities(t);
    const last = kids[kids.length - 1];
    if (last && last.nodeType === 3) last.nodeValue += text;
    else kids.push({ nodeType: 3, nodeName: "#text", nodeValue: text, childNodes: [] });
  };
  while (i < html.length) {
    const lt = html.indexOf("<", i);
    if (lt < 0) {
      pushText(html.slice(i));
      break;
    }
    pushText(html.slice(i, lt));
    if (html.startsWith("<!--", lt)) {
      const end = html.indexOf("-->", lt + 4);
      i = end < 0 ? html.length : end + 3;
      continue;
    }
    if (html[lt + 1] === "!" || html[lt + 1] === "?") {
      const end = html.indexOf(">", lt);
      i = end < 0 ? html.length : end + 1;
      continue;
    }
    const m = /^<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/.exec(html.slice(lt));
    if (!m) {
      pushText("<");
      i = lt + 1;
      continue;
    }
    i = lt + m[0].length;
    const tag = m[2].toLowerCase();
    if (m[1] === "/") {
      for (let k = stack.length - 1; k > 0; k--) {
        if (stack[k].nodeName === tag) {
          stack.length = k;
          break;
        }
      }
      continue;
    }
    if (RAW_SKIP.has(tag)) {
      const close = html.toLowerCase().indexOf(`</${tag}`, i);
      if (close < 0) i = html.length;
      else {
        const gt = html.indexOf(">", close);
        i = gt < 0 ? html.length : gt + 1;
      }
      continue;
    }
    const node = element(tag, parseAttrs(m[3]));
    top().childNodes.push(node);
    if (!VOID.has(tag) && !/\/\s*$/.test(m[3])) stack.push(node);
  }
  return root.childNodes;
}

/** Parses HTML without running or loading anything: DOMParser where there is one, else parseHtml. */
function parse(html: string): ArrayLike<HtmlNode> {
  if (typeof DOMParser === "undefined") return parseHtml(html);
  return (new DOMParser().parseFromString(html, "text/html").body as unknown as HtmlNode).childNodes;
}

// ------------------------------------------------------------------ rebuilding

export interface RebuildOptions {
  /** Written by customers (community posts): external links also get rel="ugc". */
  ugc?: boolean;
  /** Called for clicks on links to a path of this site (the help centre navigates without reloading). */
  onLinkClick?: MouseEventHandler<HTMLAnchorElement>;
  /** When given, each table is wrapped in a div of this class (so wide tables scroll on their own). */
  tableWrapClass?: string;
}

function rebuild(nodes: ArrayLike<HtmlNode>, options: RebuildOptions, depth: number, parent: string): ReactNode[] {
  const out: ReactNode[] = [];
  for (let idx = 0; idx < nodes.length; idx++) {
    const node = nodes[idx];
    if (node.nodeType === 3) {
      const v = node.nodeValue;
      if (v && !(NO_TEXT.has(parent) && v.trim() === "")) out.push(v);
      continue;
    }
    if (node.nodeType !== 1) continue;
    const tag = node.nodeName.toLowerCase();
    if (DROP.has(tag) || depth >= MAX_DEPTH) continue;
    // An article has its own title as the page's heading: headings in the body start at h2.
    const name = tag === "h1" ? "h2" : tag;
    const allowed = TAGS[name];
    const children = () => rebuild(node.childNodes, options, depth + 1, name);
    if (!allowed) {
      out.push(...rebuild(node.childNodes, options, depth + 1, parent)); // an unknown element: keep its text, drop the element
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
          props.rel = options.ugc ? "noopener noreferrer nofollow ugc" : "noopener noreferrer nofollow";
        } else if (href.startsWith("/") && options.onLinkClick) props.onClick = options.onLinkClick;
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
        props.type = v.toLowerCase();
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
      out.push(createElement("img", { ...props, loading: "lazy", decoding: "async", alt: attr("alt") ?? "" }));
      continue;
    }
    if (name === "a" && !props.href) {
      out.push(...children());
      continue;
    }
    const el = VOID.has(name) ? createElement(name, props) : createElement(name, props, ...children());
    out.push(name === "table" && options.tableWrapClass ? createElement("div", { key: idx, className: options.tableWrapClass }, el) : el);
  }
  return out;
}

/** React elements for server-sanitised HTML (a string, or nodes already parsed), keeping only what the allow-list allows. */
export function htmlToReact(input: string | ArrayLike<HtmlNode>, options: RebuildOptions = {}): ReactNode[] {
  const nodes = typeof input === "string" ? parse(input) : input && typeof input === "object" ? input : [];
  return rebuild(nodes, options, 0, "");
}

/** A block of rendered Markdown (article or post body) inside a styled container. */
export function SafeHtml({
  html,
  className,
  testId,
  lang,
  ...options
}: { html: string; className?: string; testId?: string; lang?: string } & RebuildOptions) {
  const { ugc, onLinkClick, tableWrapClass } = options;
  const content = useMemo(
    () => htmlToReact(typeof html === "string" ? html : "", { ugc, onLinkClick, tableWrapClass }),
    [html, ugc, onLinkClick, tableWrapClass],
  );
  return (
    <div className={className} data-testid={testId} lang={lang}>
      {content}
    </div>
  );
}
