#include "adapters/markdown/cmark_markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#include <mutex>
#include <string>

#include "adapters/channels/email/mime.h"

namespace kizuna::markdown {
namespace {

// Safe mode is cmark's default (raw HTML and dangerous URLs left out without
// CMARK_OPT_UNSAFE); invalid UTF-8 is replaced rather than passed on.
constexpr int kOptions = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_STRIKETHROUGH_DOUBLE_TILDE;
constexpr const char* kExtensions[] = {"table", "strikethrough", "autolink", "tagfilter", "tasklist"};

void RegisterExtensions() {
  static std::once_flag once;
  std::call_once(once, [] { cmark_gfm_core_extensions_ensure_registered(); });
}

// One parse: the document and the parser that knows its extensions, freed together.
class Document {
 public:
  explicit Document(std::string_view markdown) : parser_(cmark_parser_new(kOptions)) {
    for (const char* name : kExtensions) {
      cmark_syntax_extension* extension = cmark_find_syntax_extension(name);
      if (extension != nullptr) cmark_parser_attach_syntax_extension(parser_, extension);
    }
    cmark_parser_feed(parser_, markdown.data(), markdown.size());
    root_ = cmark_parser_finish(parser_);
  }
  ~Document() {
    if (root_ != nullptr) cmark_node_free(root_);
    cmark_parser_free(parser_);
  }
  Document(const Document&) = delete;
  Document& operator=(const Document&) = delete;

  std::string Html() const {
    if (root_ == nullptr) return {};
    char* html = cmark_render_html(root_, kOptions, cmark_parser_get_syntax_extensions(parser_));
    if (html == nullptr) return {};
    std::string out(html);
    cmark_get_default_mem_allocator()->free(html);
    return out;
  }

 private:
  cmark_parser* parser_;
  cmark_node* root_ = nullptr;
};

class CmarkMarkdown final : public ports::Markdown {
 public:
  CmarkMarkdown() { RegisterExtensions(); }

  std::string ToHtml(std::string_view markdown) const override {
    std::string html = Document(markdown).Html();
    email::HtmlPolicy policy;
    policy.markdown = true;
    return email::SanitiseHtml(html, policy);
  }

  std::string ToText(std::string_view markdown) const override {
    return email::HtmlToText(Document(markdown).Html());
  }
};

}  // namespace

std::unique_ptr<ports::Markdown> NewCmarkMarkdown() { return std::make_unique<CmarkMarkdown>(); }

}  // namespace kizuna::markdown
