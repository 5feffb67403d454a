// SanitiseHtml and HtmlToText on gumbo's HTML5 tree. Before gumbo sees the HTML it is cut
// to kHtmlMaxBytes and its nesting bounded (LimitHtml): gumbo's cost grows with the depth of
// open elements (100,000 nested <div> take 16 s) and it re-opens every active formatting
// element in each new block (17 kB of distinct <b a=N> grew to 150 MB).
#include <gumbo.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "adapters/channels/email/charset.h"
#include "adapters/channels/email/mime.h"

namespace kizuna::email {
namespace {

constexpr std::size_t kMaxOpenElements = 200;
constexpr std::size_t kMaxActiveFormatting = 12;
constexpr long kMaxNodes = 100000;

bool OneOf(std::string_view name, std::initializer_list<std::string_view> names) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

bool IsVoid(std::string_view name) {
  return OneOf(name, {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
                      "track", "wbr", "keygen", "frame", "image"});
}

bool IsFormatting(std::string_view name) {
  return OneOf(name, {"a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u"});
}

// Elements a parser closes by itself before opening another of their kind, so they never
// nest through repetition.
bool IsSelfClosingKind(std::string_view name) {
  return OneOf(name, {"p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "tbody", "thead", "tfoot", "rb",
                      "rt", "rp", "rtc", "colgroup", "caption", "html", "head", "body"});
}

bool IsRawText(std::string_view name) {
  return OneOf(name, {"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript"});
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

std::string LowerAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Copies `html` dropping the start tags that would nest elements deeper than
// kMaxOpenElements or keep more than kMaxActiveFormatting formatting elements active, and
// stops where the tree gumbo builds would pass kMaxNodes nodes. The model follows the
// tokenizer (tags, quoted attributes, comments, raw text) and approximates tree building
// from above: it may drop a tag gumbo would have closed, never the other way round.
class HtmlLimiter {
 public:
  explicit HtmlLimiter(std::string_view html) : html_(html) { out_.reserve(html.size()); }

  std::string Run() {
    std::size_t pos = 0;
    while (pos < html_.size()) {
      std::size_t lt = html_.find('<', pos);
      std::size_t text_end = lt == std::string_view::npos ? html_.size() : lt;
      if (!Text(html_.substr(pos, text_end - pos))) break;
      if (lt == std::string_view::npos) break;
      std::size_t next = Markup(lt);
      if (next == std::string_view::npos) break;
      pos = next;
    }
    return std::move(out_);
  }

 private:
  struct Formatting {
    std::string name;
    bool open;
  };

  bool Spend(long nodes) {
    nodes_ += nodes;
    return nodes_ <= kMaxNodes;
  }

  // Gumbo re-opens the active formatting elements a block closed before new content.
  bool Reconstruct() {
    for (Formatting& entry : active_) {
      if (entry.open) continue;
      entry.open = true;
      stack_.push_back(entry.name);
      if (!Spend(1)) return false;
    }
    return true;
  }

  bool Text(std::string_view text) {
    if (text.empty()) return true;
    if (!std::all_of(text.begin(), text.end(), IsSpace) && (!Reconstruct() || !Spend(1))) return false;
    out_ += text;
    return true;
  }

  // Pops the stack down to (and including) index `to`; formatting elements popped by
  // another element's end tag stay active but closed.
  void PopTo(std::size_t to) {
    while (stack_.size() > to) {
      const std::string& name = stack_.back();
      if (IsFormatting(name)) {
        for (auto it = active_.rbegin(); it != active_.rend(); ++it) {
          if (it->open && it->name == name) {
            it->open = false;
            break;
          }
        }
      }
      stack_.pop_back();
    }
  }

  // Handles markup at `lt`; returns where to continue, or npos to stop.
  std::size_t Markup(std::size_t lt) {
    std::string_view rest = html_.substr(lt);
    if (rest.starts_with("<!--")) {
      std::size_t end = html_.find("-->", lt + 4);
      end = end == std::string_view::npos ? html_.size() : end + 3;
      out_ += html_.substr(lt, end - lt);
      return end;
    }
    if (rest.starts_with("<!") || rest.starts_with("<?")) {
      std::size_t end = html_.find('>', lt);
      end = end == std::string_view::npos ? html_.size() : end + 1;
      out_ += html_.substr(lt, end - lt);
      return end;
    }
    bool closing = rest.size() > 1 && rest[1] == '/';
    std::size_t name_start = lt + (closing ? 2 : 1);
    auto is_alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
    if (name_start >= html_.size() || !is_alpha(html_[name_start])) {
      out_ += '<';
      return lt + 1;
    }
    std::size_t name_end = name_start;
    while (name_end < html_.size() && !IsSpace(html_[name_end]) && html_[name_end] != '/' && html_[name_end] != '>') {
      ++name_end;
    }
    std::string name = LowerAscii(html_.substr(name_start, name_end - name_start));
    std::size_t end = TagEnd(name_end);
    if (end == std::string_view::npos) return std::string_view::npos;  // an unfinished tag: gumbo drops it too
    std::string_view tag = html_.substr(lt, end - lt);
    if (closing) {
      EndTag(name);
      out_ += tag;
      return end;
    }
    if (!StartTag(name, tag)) return std::string_view::npos;
    if (!IsRawText(name)) return end;
    // Raw text runs to the matching end tag, which is handled next time round.
    std::size_t text_end = RawTextEnd(end, name);
    out_ += html_.substr(end, text_end - end);
    return text_end;
  }

  // Where the raw text of element `name` starting at `pos` ends: at "</name", any case.
  std::size_t RawTextEnd(std::size_t pos, const std::string& name) const {
    while (true) {
      std::size_t lt = html_.find("</", pos);
      if (lt == std::string_view::npos) return html_.size();
      if (LowerAscii(html_.substr(lt + 2, name.size())) == name) return lt;
      pos = lt + 2;
    }
  }

  // Past the '>' of a tag whose name ends at `pos`, quoted attribute values respected.
  std::size_t TagEnd(std::size_t pos) const {
    while (pos < html_.size()) {
      char c = html_[pos];
      if (c == '>') return pos + 1;
      if (IsSpace(c) || c == '/') { ++pos; continue; }
      ++pos;  // an attribute name (its first character may be anything, '=' included)
      while (pos < html_.size() && !IsSpace(html_[pos]) && html_[pos] != '/' && html_[pos] != '>' &&
             html_[pos] != '=') {
        ++pos;
      }
      while (pos < html_.size() && IsSpace(html_[pos])) ++pos;
      if (pos >= html_.size() || html_[pos] != '=') continue;
      ++pos;
      while (pos < html_.size() && IsSpace(html_[pos])) ++pos;
      if (pos < html_.size() && (html_[pos] == '"' || html_[pos] == '\'')) {
        std::size_t close = html_.find(html_[pos], pos + 1);
        if (close == std::string_view::npos) return std::string_view::npos;
        pos = close + 1;
      } else {
        while (pos < html_.size() && !IsSpace(html_[pos]) && html_[pos] != '>') ++pos;
      }
    }
    return std::string_view::npos;
  }

  bool StartTag(const std::string& name, std::string_view tag) {
    if (IsFormatting(name) && active_.size() >= kMaxActiveFormatting) return true;  // dropped
    bool nests = !IsVoid(name) && !IsSelfClosingKind(name);
    if (nests && stack_.size() >= kMaxOpenElements) return true;  // dropped
    if (!Reconstruct() || !Spend(1)) return false;
    if (nests) stack_.push_back(name);
    if (IsFormatting(name)) active_.push_back(Formatting{name, true});
    out_ += tag;
    return true;
  }

  void EndTag(const std::string& name) {
    if (IsFormatting(name)) {
      for (auto it = active_.rbegin(); it != active_.rend(); ++it) {
        if (it->name == name) {
          active_.erase(std::next(it).base());
          break;
        }
      }
    }
    for (std::size_t idx = stack_.size(); idx-- > 0;) {
      if (stack_[idx] == name) {
        PopTo(idx + 1);
        stack_.pop_back();  // the element itself: a formatting one left the active list above
        break;
      }
    }
  }

  std::string_view html_;
  std::string out_;
  std::vector<std::string> stack_;
  std::vector<Formatting> active_;
  long nodes_ = 0;
};

struct GumboTree {
  GumboOptions options = kGumboDefaultOptions;
  GumboOutput* output = nullptr;

  explicit GumboTree(std::string_view html) {
    std::string input(mime::Utf8Prefix(html, kHtmlMaxBytes));
    mime::RepairUtf8(input);
    limited = HtmlLimiter(input).Run();
    options.max_errors = 0;
    output = gumbo_parse_with_options(&options, limited.data(), limited.size());
  }
  ~GumboTree() {
    if (output != nullptr) gumbo_destroy_output(&options, output);
  }
  GumboTree(const GumboTree&) = delete;
  GumboTree& operator=(const GumboTree&) = delete;

  // The <body> element (gumbo always makes one).
  GumboNode* Body() const {
    if (output == nullptr || output->root == nullptr || output->root->type != GUMBO_NODE_ELEMENT) return nullptr;
    const GumboVector& children = output->root->v.element.children;
    for (unsigned int idx = 0; idx < children.length; ++idx) {
      auto* child = static_cast<GumboNode*>(children.data[idx]);
      if (child->type == GUMBO_NODE_ELEMENT && child->v.element.tag == GUMBO_TAG_BODY) return child;
    }
    return nullptr;
  }

  std::string limited;
};

std::string_view TagName(const GumboNode* node) {
  if (node->v.element.tag == GUMBO_TAG_UNKNOWN) return {};
  return gumbo_normalized_tagname(node->v.element.tag);
}

// Calls visit(node, entering) for every node under `root` in document order, without
// recursion; returning false from an entering visit skips the node's children (and its
// leaving visit).
template <typename Visit>
void Traverse(GumboNode* root, Visit visit) {
  struct Frame {
    GumboNode* node;
    unsigned int next_child;
  };
  std::vector<Frame> frames{{root, 0}};
  while (!frames.empty()) {
    Frame& frame = frames.back();
    GumboNode* node = frame.node;
    bool element = node->type == GUMBO_NODE_ELEMENT;
    const GumboVector* children = element ? &node->v.element.children : nullptr;
    if (children == nullptr || frame.next_child >= children->length) {
      if (node != root) visit(node, false);
      frames.pop_back();
      continue;
    }
    auto* child = static_cast<GumboNode*>(children->data[frame.next_child++]);
    if (!visit(child, true)) continue;
    if (child->type == GUMBO_NODE_ELEMENT) {
      frames.push_back(Frame{child, 0});
    } else {
      visit(child, false);
    }
  }
}

// ---- SanitiseHtml ----

enum class Keep { kElement, kChildren, kNothing };

Keep Decide(const GumboNode* node, const HtmlPolicy& policy) {
  if (node->v.element.tag_namespace != GUMBO_NAMESPACE_HTML) return Keep::kNothing;  // svg, math
  std::string_view name = TagName(node);
  if (policy.markdown && OneOf(name, {"del", "s", "sup", "sub"})) return Keep::kElement;
  if (policy.markdown && name == "input") {
    const GumboAttribute* type = gumbo_get_attribute(&node->v.element.attributes, "type");
    return type != nullptr && LowerAscii(type->value) == "checkbox" ? Keep::kElement : Keep::kNothing;
  }
  if (OneOf(name, {"p", "br", "div", "span", "b", "i", "u", "strong", "em", "a", "ul", "ol", "li", "blockquote", "pre",
                   "code", "table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "colgroup", "col", "img",
                   "h1", "h2", "h3", "h4", "h5", "h6", "hr"})) {
    return Keep::kElement;
  }
  if (OneOf(name, {"script", "style", "iframe", "object", "embed", "form", "applet", "frame", "frameset", "noframes",
                   "noscript", "template", "head", "title", "meta", "link", "base", "svg", "math", "input", "button",
                   "textarea", "select", "option", "optgroup", "datalist", "audio", "video", "source", "track",
                   "canvas", "map", "area", "param", "dialog", "portal", "noembed", "xmp", "plaintext", "marquee"})) {
    return Keep::kNothing;
  }
  return Keep::kChildren;  // font, center, section, unknown tags…: their text stays
}

void AppendEscaped(std::string& out, std::string_view text, bool attribute) {
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"':
        if (attribute) {
          out += "&quot;";
          break;
        }
        out += c;
        break;
      default:
        out += c;
    }
  }
}

// The URL without the whitespace and control characters browsers ignore, when its scheme
// is allowed; else empty.
std::string SafeUrl(std::string_view value, bool image, const HtmlPolicy& policy) {
  std::string url;
  for (char c : value) {
    auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7F) continue;
    url += c;
  }
  std::string lower = LowerAscii(url);
  // cid: names a part of the same email; on a web page it means nothing.
  bool allowed = image ? lower.starts_with("https://") || (!policy.markdown && lower.starts_with("cid:"))
                       : lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("mailto:");
  // A path or fragment of the site itself: no scheme to abuse (a backslash could make a
  // browser read "/\\host" as another host, which is no worse than an https link).
  if (policy.markdown) {
    allowed = allowed || (image && lower.starts_with("http://")) || lower.starts_with("/") || lower.starts_with("#");
  }
  return allowed ? url : std::string();
}

bool IsDigits(std::string_view value, bool percent) {
  if (value.empty() || value.size() > 6) return false;
  if (percent && value.back() == '%') value.remove_suffix(1);
  return !value.empty() && std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The attributes kept on an allowed element, as ` name="value"` text; nullopt drops the
// element (an image without an allowed source).
std::optional<std::string> SafeAttributes(const GumboNode* node, std::string_view name, const HtmlPolicy& policy) {
  std::string out;
  bool image_source = false;
  const GumboVector& attributes = node->v.element.attributes;
  for (unsigned int idx = 0; idx < attributes.length; ++idx) {
    const auto* attribute = static_cast<const GumboAttribute*>(attributes.data[idx]);
    std::string key = LowerAscii(attribute->name);
    std::string_view value = attribute->value;
    std::string kept;
    if (key == "title" || key == "dir") {
      kept = value;
    } else if (key == "href" && name == "a") {
      kept = SafeUrl(value, false, policy);
    } else if (key == "src" && name == "img") {
      kept = SafeUrl(value, true, policy);
      image_source = !kept.empty();
    } else if ((key == "alt" && name == "img")) {
      kept = value;
    } else if ((key == "width" || key == "height") && OneOf(name, {"img", "table", "td", "th", "col"})) {
      if (IsDigits(value, true)) kept = value;
    } else if ((key == "colspan" || key == "rowspan") && OneOf(name, {"td", "th"})) {
      if (IsDigits(value, false)) kept = value;
    } else if (key == "span" && OneOf(name, {"col", "colgroup"})) {
      if (IsDigits(value, false)) kept = value;
    } else if ((key == "border" || key == "cellpadding" || key == "cellspacing") && name == "table") {
      if (IsDigits(value, false)) kept = value;
    } else if (policy.markdown && name == "input" && key == "checked") {
      kept = "checked";
    } else if (key == "start" && name == "ol") {
      if (IsDigits(value, false)) kept = value;
    } else if (key == "align") {
      std::string lower = LowerAscii(value);
      if (OneOf(lower, {"left", "center", "right", "justify"})) kept = lower;
    } else if (key == "valign" && OneOf(name, {"td", "th", "tr"})) {
      std::string lower = LowerAscii(value);
      if (OneOf(lower, {"top", "middle", "bottom", "baseline"})) kept = lower;
    }
    if (kept.empty()) continue;
    out += ' ';
    out += key;
    out += "=\"";
    AppendEscaped(out, kept, true);
    out += '"';
    if (key == "href") out += policy.markdown ? " rel=\"nofollow noopener\"" : " rel=\"noopener noreferrer\"";
  }
  if (name == "img" && !image_source) return std::nullopt;
  if (name == "input") out = " type=\"checkbox\" disabled=\"\"" + out;
  return out;
}

// ---- HtmlToText ----

class TextWriter {
 public:
  void Text(std::string_view text, bool preformatted) {
    for (std::size_t pos = 0; pos < text.size(); ++pos) {
      char c = text[pos];
      // U+00A0 no-break space reads as a space.
      if (c == '\xC2' && pos + 1 < text.size() && text[pos + 1] == '\xA0') {
        c = ' ';
        ++pos;
      }
      if (preformatted) {
        if (c == '\r') continue;
        if (c == '\n') {
          ++pending_;  // every line end of preformatted text counts, blank lines too
          space_ = false;
          continue;
        }
        Put(c);
        continue;
      }
      if (IsSpace(c)) {
        space_ = true;  // dropped again at the start of a line
        continue;
      }
      Put(c);
    }
  }

  // Asks for `lines` line ends before the next text (1: a new line, 2: a blank line).
  void Break(int lines) {
    pending_ = std::max(pending_, lines);
    space_ = false;
  }

  // <br>: each one adds a line end, up to a blank line.
  void LineBreak() {
    pending_ = std::min(pending_ + 1, 2);
    space_ = false;
  }

  int quote_depth = 0;

  std::string Finish() {
    std::string result;
    std::size_t pos = 0;
    // Trailing blanks on each line go; the whole is trimmed.
    while (pos <= out_.size()) {
      std::size_t newline = out_.find('\n', pos);
      std::string_view line(out_.data() + pos, (newline == std::string::npos ? out_.size() : newline) - pos);
      while (!line.empty() && line.back() == ' ') line.remove_suffix(1);
      result += line;
      if (newline == std::string::npos) break;
      result += '\n';
      pos = newline + 1;
    }
    while (!result.empty() && (result.back() == '\n' || result.back() == ' ')) result.pop_back();
    std::size_t start = result.find_first_not_of("\n ");
    return start == std::string::npos ? std::string() : result.substr(start);
  }

 private:
  void Put(char c) {
    auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && c != '\t') || byte == 0x7F) return;  // controls have no place in text
    if (pending_ > 0 && !out_.empty()) {
      for (int idx = 0; idx < pending_; ++idx) out_ += '\n';
      line_start_ = true;
    }
    pending_ = 0;
    if (line_start_) {
      for (int idx = 0; idx < quote_depth; ++idx) out_ += "> ";
      line_start_ = false;
      space_ = false;
    } else if (space_) {
      out_ += ' ';
    }
    space_ = false;
    out_ += c;
  }

  std::string out_;
  int pending_ = 0;
  bool space_ = false;
  bool line_start_ = true;
};

int BlockBreak(std::string_view name) {
  if (OneOf(name, {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "blockquote", "pre", "hr", "dl",
                   "figure", "address"})) {
    return 2;
  }
  if (OneOf(name, {"div", "li", "tr", "dt", "dd", "section", "article", "header", "footer", "nav", "aside", "main",
                   "center", "form", "fieldset", "figcaption", "caption", "details", "summary", "tbody", "thead",
                   "tfoot"})) {
    return 1;
  }
  return 0;
}

}  // namespace

std::string SanitiseHtml(std::string_view html) { return SanitiseHtml(html, HtmlPolicy{}); }

std::string SanitiseHtml(std::string_view html, const HtmlPolicy& policy) {
  GumboTree tree(html);
  GumboNode* body = tree.Body();
  if (body == nullptr) return {};
  std::string out;
  // Elements entered with their tag written, so that leaving writes the end tag.
  std::vector<const GumboNode*> written;
  Traverse(body, [&](GumboNode* node, bool entering) {
    switch (node->type) {
      case GUMBO_NODE_TEXT:
      case GUMBO_NODE_WHITESPACE:
      case GUMBO_NODE_CDATA:
        if (entering) AppendEscaped(out, node->v.text.text, false);
        return true;
      case GUMBO_NODE_ELEMENT:
        break;
      default:
        return false;  // comments, templates
    }
    if (!entering) {
      if (!written.empty() && written.back() == node) {
        written.pop_back();
        std::string_view name = TagName(node);
        if (!IsVoid(name)) {
          out += "</";
          out += name;
          out += '>';
        }
      }
      return true;
    }
    Keep keep = Decide(node, policy);
    if (keep == Keep::kNothing) return false;
    if (keep == Keep::kChildren) return true;
    std::string_view name = TagName(node);
    std::optional<std::string> attributes = SafeAttributes(node, name, policy);
    if (!attributes) return false;
    out += '<';
    out += name;
    out += *attributes;
    out += '>';
    written.push_back(node);
    // A parser drops one newline right after <pre>: this one, so the content's own survive.
    if (name == "pre") out += '\n';
    return true;
  });
  return out;
}

std::string HtmlToText(std::string_view html) {
  GumboTree tree(html);
  GumboNode* body = tree.Body();
  if (body == nullptr) return {};
  TextWriter writer;
  int preformatted = 0;
  std::vector<int> cells_in_row;
  Traverse(body, [&](GumboNode* node, bool entering) {
    if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE || node->type == GUMBO_NODE_CDATA) {
      if (entering) writer.Text(node->v.text.text, preformatted > 0);
      return true;
    }
    if (node->type != GUMBO_NODE_ELEMENT) return false;
    if (node->v.element.tag_namespace != GUMBO_NAMESPACE_HTML) return false;
    std::string_view name = TagName(node);
    if (OneOf(name, {"script", "style", "head", "title", "template", "noscript", "select", "iframe", "object",
                     "svg", "math", "textarea"})) {
      return false;
    }
    int block = BlockBreak(name);
    if (entering) {
      if (block > 0) writer.Break(block);
      if (name == "br") writer.LineBreak();
      if (name == "pre") ++preformatted;
      if (name == "blockquote") ++writer.quote_depth;
      if (name == "li") writer.Text("- ", true);
      if (name == "tr") cells_in_row.push_back(0);
      if ((name == "td" || name == "th") && !cells_in_row.empty() && cells_in_row.back()++ > 0) {
        writer.Text(" ", true);
      }
      return true;
    }
    if (name == "pre") --preformatted;
    if (name == "blockquote") {
      --writer.quote_depth;
      writer.Break(2);
    }
    if (name == "tr" && !cells_in_row.empty()) cells_in_row.pop_back();
    if (block > 0) writer.Break(block);
    return true;
  });
  return writer.Finish();
}

}  // namespace kizuna::email
