#include "api/json_body.h"

#include "core/text.h"

namespace kizuna::api {

using nlohmann::json;

Result<json> ParseJsonObject(std::string_view body) {
  if (body.empty()) return Error::Invalid("body", "the request needs a JSON object body");
  if (!IsValidUtf8(body)) return Error::Invalid("body", "the body is not valid UTF-8");
  // The parser recurses per nesting level: bound the depth before parsing.
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < body.size(); ++i) {
    char c = body[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > 32) return Error::Invalid("body", "JSON nested deeper than 32 levels");
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  json parsed = json::parse(body, nullptr, false);
  if (parsed.is_discarded()) return Error::Invalid("body", "the body is not valid JSON");
  if (!parsed.is_object()) return Error::Invalid("body", "the body must be a JSON object");
  return parsed;
}

const json* FieldReader::Get(const std::string& key) {
  known_.insert(key);
  auto it = object_.find(key);
  if (it == object_.end()) return nullptr;
  return &*it;
}

void FieldReader::Fail(const std::string& key, const std::string& message) {
  if (!error_) error_ = Error::Invalid(Name(key), Name(key) + " " + message);
}

std::optional<std::string> FieldReader::Str(const std::string& key) {
  const json* v = Get(key);
  if (!v || v->is_null()) return std::nullopt;
  if (!v->is_string()) {
    Fail(key, "must be a string");
    return std::nullopt;
  }
  return v->get<std::string>();
}

std::optional<std::string> FieldReader::StrNotNull(const std::string& key) {
  const json* v = Get(key);
  if (v && v->is_null()) {
    Fail(key, "must be a string (it cannot be null)");
    return std::nullopt;
  }
  return Str(key);
}

services::Patch<std::string> FieldReader::NullableStr(const std::string& key) {
  const json* v = Get(key);
  if (!v) return {};
  if (v->is_null()) return {true, std::nullopt};
  return {true, Str(key)};
}

std::optional<std::int64_t> FieldReader::Int(const std::string& key) {
  const json* v = Get(key);
  if (!v || v->is_null()) return std::nullopt;
  if (!v->is_number_integer()) {
    Fail(key, "must be an integer");
    return std::nullopt;
  }
  if (v->is_number_unsigned() && v->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) {
    Fail(key, "is out of range");
    return std::nullopt;
  }
  return v->get<std::int64_t>();
}

std::optional<bool> FieldReader::Bool(const std::string& key) {
  const json* v = Get(key);
  if (!v || v->is_null()) return std::nullopt;
  if (!v->is_boolean()) {
    Fail(key, "must be true or false");
    return std::nullopt;
  }
  return v->get<bool>();
}

std::optional<std::vector<std::string>> FieldReader::StrList(const std::string& key) {
  const json* v = Get(key);
  if (!v || v->is_null()) return std::nullopt;
  if (!v->is_array()) {
    Fail(key, "must be an array of strings");
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (const auto& item : *v) {
    if (!item.is_string()) {
      Fail(key, "must be an array of strings");
      return std::nullopt;
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

std::optional<std::map<std::string, std::optional<std::string>>> FieldReader::StrMap(const std::string& key) {
  const json* v = Get(key);
  if (!v || v->is_null()) return std::nullopt;
  if (!v->is_object()) {
    Fail(key, "must be an object of strings");
    return std::nullopt;
  }
  std::map<std::string, std::optional<std::string>> out;
  for (const auto& [k, item] : v->items()) {
    if (item.is_null()) out[k] = std::nullopt;
    else if (item.is_string()) out[k] = item.get<std::string>();
    else {
      Fail(key, "values must be strings or null");
      return std::nullopt;
    }
  }
  return out;
}

services::Patch<std::int64_t> FieldReader::NullableId(const std::string& key) {
  const json* v = Get(key);
  services::Patch<std::int64_t> out;
  if (!v) return out;
  out.present = true;
  if (v->is_null()) return out;
  if (!v->is_number_integer() || v->get<std::int64_t>() <= 0) {
    Fail(key, "must be a positive integer or null");
    out.present = false;
    return out;
  }
  out.value = v->get<std::int64_t>();
  return out;
}

const json* FieldReader::Object(const std::string& key) {
  const json* v = Get(key);
  if (!v || v->is_null()) return nullptr;
  if (!v->is_object()) {
    Fail(key, "must be an object");
    return nullptr;
  }
  return v;
}

const json* FieldReader::Array(const std::string& key) {
  const json* v = Get(key);
  if (!v || v->is_null()) return nullptr;
  if (!v->is_array()) {
    Fail(key, "must be an array");
    return nullptr;
  }
  return v;
}

Status FieldReader::Finish() {
  if (error_) return *error_;
  for (const auto& [key, value] : object_.items()) {
    if (!known_.count(key)) {
      return Error::Invalid(Name(key), "unknown field " + Name(key));
    }
  }
  return Ok();
}

}  // namespace kizuna::api
