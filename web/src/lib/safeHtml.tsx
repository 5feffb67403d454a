// Rendering HTML the server made from Markdown (already sanitised there) as React elements,
// never through innerHTML: a small parser keeps only an allow-list of tags and attributes,
// so a mistake on the server still cannot run script here (defence in depth).
import { createElement, type ReactNode } from "react";

const VOID = new Set(["br", "hr", "img", "input", "wbr", "area", "base", "col", "embed", "link", "meta", "param", "source", "track"]);
/** Elements whose whole content is dropped with them. */
const DROP_WITH_CONTENT = new Set(["script", "style", "textarea", "title", "iframe", "noscript", "xmp", "template", "object", "svg", "math", "select", "noembed", "noframes"]);
const ALLOWED = new Set([
  "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre", "code", "em", "strong", "b", "i", "u",
  "del", "s", "ins", "a", "img", "table", "thead", "tbody", "tfoot", "tr", "th", "td", "input", "sup", "sub", "span", "div", "kbd",
  "dl", "dt", "dd", "mark", "small", "caption",
]);

const NAMED: Record<string, string> = {
  amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0", copy: "©", reg: "®", hellip: "…", mdash: "—", ndash: "–",
  laquo: "«", raquo: "»", lsquo: "‘", rsquo: "’", ldquo: "“", rdquo: "”", middot: "·", times: "×",
};

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

/** An address safe to link or load: http(s), mailto, or relative to this site. */
export function safeUrl(raw: string, forImage = false): string | null {
  // Browsers ignore control characters and spaces inside a scheme ("java\tscript:").
  const compact = raw.replace(/[\u0000-\u0020\u007f-\u009f]/g, "");
  if (!compact) return null;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(compact);
  if (!scheme) return compact.startsWith("//") ? null : raw.trim();
  const name = scheme[1].toLowerCase();
  if (name === "http" || name === "https") return raw.trim();
  if (!forImage && name === "mailto") return raw.trim();
  if (forImage && /^data:image\/(png|gif|jpeg|webp);/i.test(compact)) return compact;
  return null;
}

interface Node {
  tag: string;
  attrs: Record<string, string>;
  children: (Node | string)[];
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

/** The HTML as a tree (lenient, like a browser for the markup cmark-gfm makes). */
export function parseHtml(html: string): (Node | string)[] {
  const root: Node = { tag: "#root", attrs: {}, children: [] };
  const stack: Node[] = [root];
  const top = () => stack[stack.length - 1];
  let i = 0;
  const pushText = (t: string) => {
    const kids = top().children;
    // As in browsers: a newline right after <pre> is not part of its text.
    if (top().tag === "pre" && kids.length === 0) t = t.replace(/^\r?\n/, "");
    if (!t) return;
    const text = decodeEntities(t);
    if (typeof kids[kids.length - 1] === "string") kids[kids.length - 1] += text;
    else kids.push(text);
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
    const closing = m[1] === "/";
    const tag = m[2].toLowerCase();
    if (closing) {
      for (let k = stack.length - 1; k > 0; k--) {
        if (stack[k].tag === tag) {
          stack.length = k;
          break;
        }
      }
      continue;
    }
    if (DROP_WITH_CONTENT.has(tag)) {
      const close = html.toLowerCase().indexOf(`</${tag}`, i);
      if (close < 0) i = html.length;
      else {
        const gt = html.indexOf(">", close);
        i = gt < 0 ? html.length : gt + 1;
      }
      continue;
    }
    const node: Node = { tag, attrs: parseAttrs(m[3]), children: [] };
    top().children.push(node);
    const selfClosing = /\/\s*$/.test(m[3]);
    if (!VOID.has(tag) && !selfClosing) stack.push(node);
  }
  return root.children;
}

function props(node: Node, key: number): Record<string, unknown> | null {
  const a = node.attrs;
  const p: Record<string, unknown> = { key };
  switch (node.tag) {
    case "a": {
      const href = a.href === undefined ? null : safeUrl(a.href);
      if (href) {
        p.href = href;
        if (/^(https?:)?\/\//i.test(href) || /^mailto:/i.test(href)) {
          p.target = "_blank";
          p.rel = "noopener noreferrer nofollow";
        }
      }
      if (a.title) p.title = a.title;
      return p;
    }
    case "img": {
      const src = a.src === undefined ? null : safeUrl(a.src, true);
      if (!src) return null;
      p.src = src;
      p.alt = a.alt ?? "";
      if (a.title) p.title = a.title;
      p.loading = "lazy";
      return p;
    }
    case "input":
      if ((a.type ?? "").toLowerCase() !== "checkbox") return null;
      p.type = "checkbox";
      p.disabled = true;
      p.readOnly = true;
      p.checked = "checked" in a;
      return p;
    case "ol": {
      const start = Number(a.start);
      if (Number.isInteger(start)) p.start = start;
      return p;
    }
    case "code":
      if (a.class && /^language-[\w+-]{1,40}$/.test(a.class)) p.className = a.class;
      return p;
    case "th":
    case "td":
      if (a.align && /^(left|right|center)$/.test(a.align)) p.className = `align-${a.align}`;
      return p;
    default:
      return p;
  }
}

/** Elements where text between children is layout whitespace only (React and the DOM disagree on it). */
const NO_TEXT = new Set(["table", "thead", "tbody", "tfoot", "tr", "ul", "ol", "dl"]);

function toReact(nodes: (Node | string)[], parent = ""): ReactNode[] {
  const out: ReactNode[] = [];
  nodes.forEach((n, key) => {
    if (typeof n === "string") {
      if (!(NO_TEXT.has(parent) && n.trim() === "")) out.push(n);
      return;
    }
    if (!ALLOWED.has(n.tag)) {
      // An unknown element: keep what it says, not the element.
      out.push(...toReact(n.children, parent));
      return;
    }
    const p = props(n, key);
    if (!p) return;
    if (VOID.has(n.tag)) out.push(createElement(n.tag, p));
    else out.push(createElement(n.tag, p, ...toReact(n.children, n.tag)));
  });
  return out;
}

/** React elements for trusted-but-checked HTML (Markdown rendered by the server). */
export function htmlToReact(html: string): ReactNode[] {
  return toReact(parseHtml(typeof html === "string" ? html : ""));
}

/** A block of rendered Markdown. */
export function SafeHtml({ html, className, testId }: { html: string; className?: string; testId?: string }) {
  return (
    <div className={className} data-testid={testId}>
      {htmlToReact(html)}
    </div>
  );
}
