#include "adapters/channels/email/mime_guard.h"

#include <algorithm>
#include <array>

#include "adapters/channels/email/charset.h"
#include "adapters/channels/email/header_fields.h"

namespace kizuna::email::mime {
namespace {

constexpr int kMaxFieldsPerBlock = 1000;
constexpr long kMaxFields = 10000;
constexpr long kMaxDashLines = 50000;
// Deeper boundaries go unrecognised here; the cap on "--" lines still bounds them.
constexpr std::size_t kMaxLevels = 64;
constexpr std::size_t kMaxBoundariesPerLevel = 4;
constexpr std::size_t kMaxContentTypeBytes = 16 * 1024;
constexpr std::size_t kMaxProbeFields = 200;

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t idx = 0; idx < a.size(); ++idx) {
    char x = a[idx];
    char y = b[idx];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

bool IsNameChar(char c) {
  auto byte = static_cast<unsigned char>(c);
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
  return byte > 0x20 && byte < 0x7F && std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// The name of a header field line ("Subject: hi" -> "Subject"), or empty when the line is
// not one. A space before the colon is tolerated, as GMime does.
std::string_view FieldName(std::string_view line) {
  std::size_t end = 0;
  while (end < line.size() && IsNameChar(line[end])) ++end;
  if (end == 0) return {};
  std::size_t colon = end;
  while (colon < line.size() && (line[colon] == ' ' || line[colon] == '\t')) ++colon;
  if (colon >= line.size() || line[colon] != ':') return {};
  return line.substr(0, end);
}

std::string_view StripCr(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

bool IsBlankLine(std::string_view line) {
  return std::all_of(line.begin(), line.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
}

class Guard {
 public:
  Guard(std::string_view raw, int max_parts, std::vector<std::string>& warnings)
      : raw_(raw), part_budget_(2L * std::max(max_parts, 0) + 16), warnings_(warnings) {}

  std::optional<std::string> Run() {
    std::size_t pos = 0;
    while (pos < raw_.size()) {
      std::size_t newline = raw_.find('\n', pos);
      std::size_t end = newline == std::string_view::npos ? raw_.size() : newline + 1;
      std::string_view line = raw_.substr(pos, end - pos);
      std::string_view content = StripCr(line.substr(0, line.size() - (newline == std::string_view::npos ? 0 : 1)));
      if (!Line(pos, line, content)) break;
      pos = end;
    }
    if (!copying_) return std::nullopt;
    return std::move(out_);
  }

 private:
  struct Level {
    std::vector<std::string> boundaries;
  };

  void StartCopy(std::size_t upto) {
    if (copying_) return;
    out_.assign(raw_.substr(0, upto));
    copying_ = true;
  }
  void Keep(std::string_view line) {
    if (copying_) out_ += line;
  }
  void Cut(std::size_t at, const std::string& why) {
    StartCopy(at);
    AddWarning(warnings_, why);
  }

  // Handles one line; false once the message is cut.
  bool Line(std::size_t offset, std::string_view line, std::string_view content) {
    if (in_headers_) {
      if (content.empty()) {
        EndBlock();
        Keep(line);
        return true;
      }
      if (content.front() == ' ' || content.front() == '\t') {
        if (dropping_field_) {
          StartCopy(offset);
          return true;
        }
        if (field_is_content_type_ && field_.size() < kMaxContentTypeBytes) field_ += content;
        KeepHeaderLine(offset, line);
        return true;
      }
      std::string_view name = FieldName(content);
      if (!name.empty()) {
        FinishField();
        ++block_fields_;
        ++total_fields_;
        if (block_fields_ > kMaxFieldsPerBlock || total_fields_ > kMaxFields) {
          dropping_field_ = true;
          StartCopy(offset);
          AddWarning(warnings_, "too many header fields: the rest were dropped");
          return true;
        }
        dropping_field_ = false;
        field_is_content_type_ = EqualsIgnoreCase(name, "content-type");
        if (field_is_content_type_) field_ = content.substr(content.find(':') + 1);
        KeepHeaderLine(offset, line);
        return true;
      }
      // Not a header: the block has ended without its blank line; this is content.
      EndBlock();
    }
    return BodyLine(offset, line, content);
  }

  void KeepHeaderLine(std::size_t offset, std::string_view line) {
    if (line.find('\0') == std::string_view::npos) {
      Keep(line);
      return;
    }
    StartCopy(offset);
    std::string cleaned(line);
    std::replace(cleaned.begin(), cleaned.end(), '\0', ' ');
    out_ += cleaned;
    AddWarning(warnings_, "NUL bytes in headers replaced with spaces");
  }

  bool BodyLine(std::size_t offset, std::string_view line, std::string_view content) {
    if (content.size() >= 2 && content[0] == '-' && content[1] == '-') {
      if (++dash_lines_ > kMaxDashLines) {
        Cut(offset, "more than " + std::to_string(kMaxDashLines) + " lines start with '--': the rest was dropped");
        return false;
      }
      std::string_view tail = content.substr(2);
      while (!tail.empty() && (tail.back() == ' ' || tail.back() == '\t')) tail.remove_suffix(1);
      for (std::size_t level = stack_.size(); level-- > 0;) {
        for (const std::string& boundary : stack_[level].boundaries) {
          if (tail == boundary) {
            stack_.resize(level + 1);
            if (++parts_ > part_budget_) {
              Cut(offset, "more than " + std::to_string(part_budget_) + " MIME parts: the rest was dropped");
              return false;
            }
            Keep(line);
            in_headers_ = true;
            return true;
          }
          if (tail.size() >= boundary.size() + 2 && tail.starts_with(boundary) &&
              tail.substr(boundary.size()).starts_with("--")) {
            stack_.resize(level);
            Keep(line);
            return true;
          }
        }
      }
    }
    Keep(line);
    return true;
  }

  void FinishField() {
    if (!field_is_content_type_) return;
    field_is_content_type_ = false;
    std::string value = Unfold(field_);
    field_.clear();
    std::string type = value.substr(0, value.find(';'));
    for (char& c : type) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    type.erase(std::remove_if(type.begin(), type.end(), [](char c) { return c == ' ' || c == '\t'; }), type.end());
    if (type.starts_with("multipart")) {
      block_multipart_ = true;
      for (std::string& boundary : RawParamValues(value, "boundary")) {
        while (!boundary.empty() && (boundary.back() == ' ' || boundary.back() == '\t')) boundary.pop_back();
        if (!boundary.empty() && block_boundaries_.size() < kMaxBoundariesPerLevel) {
          block_boundaries_.push_back(std::move(boundary));
        }
      }
    }
  }

  void EndBlock() {
    FinishField();
    dropping_field_ = false;
    block_fields_ = 0;
    bool multipart = block_multipart_ && !block_boundaries_.empty();
    block_multipart_ = false;
    if (multipart) {
      if (stack_.size() < kMaxLevels) stack_.push_back(Level{std::move(block_boundaries_)});
      block_boundaries_.clear();
      in_headers_ = false;
      return;
    }
    block_boundaries_.clear();
    in_headers_ = false;
  }

  std::string_view raw_;
  long part_budget_;
  std::vector<std::string>& warnings_;
  std::string out_;
  bool copying_ = false;

  std::vector<Level> stack_;
  bool in_headers_ = true;
  std::string field_;
  bool field_is_content_type_ = false;
  bool dropping_field_ = false;
  bool block_multipart_ = false;
  std::vector<std::string> block_boundaries_;
  int block_fields_ = 0;
  long total_fields_ = 0;
  long parts_ = 0;
  long dash_lines_ = 0;
};

}  // namespace

std::optional<std::size_t> HeaderBlockStart(std::string_view raw) {
  static constexpr std::array<std::string_view, 22> kMailFields = {
      "from", "to", "cc", "subject", "date", "message-id", "received", "return-path", "mime-version",
      "content-type", "delivered-to", "sender", "reply-to", "in-reply-to", "references", "x-mailer",
      "dkim-signature", "authentication-results", "x-original-to", "envelope-to", "user-agent", "x-sender"};
  std::size_t start = 0;
  if (raw.starts_with("\xEF\xBB\xBF")) start = 3;
  // mbox "From sender date" separator and blank lines before the headers.
  for (int skipped = 0; skipped < 100 && start < raw.size(); ++skipped) {
    std::size_t newline = raw.find('\n', start);
    std::string_view line = StripCr(raw.substr(start, newline == std::string_view::npos ? raw.size() - start
                                                                                          : newline - start));
    if (!(line.starts_with("From ") || IsBlankLine(line))) break;
    if (newline == std::string_view::npos) return std::nullopt;
    start = newline + 1;
  }
  std::size_t pos = start;
  bool first = true;
  for (std::size_t fields = 0; pos < raw.size() && fields < kMaxProbeFields;) {
    std::size_t newline = raw.find('\n', pos);
    std::string_view line =
        StripCr(raw.substr(pos, newline == std::string_view::npos ? raw.size() - pos : newline - pos));
    if (line.empty()) break;
    if (line.front() != ' ' && line.front() != '\t') {
      std::string_view name = FieldName(line);
      if (name.empty()) {
        if (first) return std::nullopt;
        break;
      }
      ++fields;
      for (std::string_view known : kMailFields) {
        if (EqualsIgnoreCase(name, known)) return start;
      }
    } else if (first) {
      return std::nullopt;
    }
    first = false;
    if (newline == std::string_view::npos) break;
    pos = newline + 1;
  }
  return std::nullopt;
}

std::optional<std::string> GuardMessage(std::string_view raw, int max_parts, std::vector<std::string>& warnings) {
  return Guard(raw, max_parts, warnings).Run();
}

}  // namespace kizuna::email::mime
