// Reading request bodies: strict JSON objects with typed, named fields.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "services/tickets.h"

namespace kizuna::api {

// Parses a request body as a JSON object. Rejects invalid JSON, invalid UTF-8,
// nesting deeper than 32 and non-objects with InvalidArgument.
Result<nlohmann::json> ParseJsonObject(std::string_view body);

// Reads named fields of one object, remembering the first error (with the field
// name) and the keys it was asked for; Finish() reports an unknown key.
class FieldReader {
 public:
  FieldReader(const nlohmann::json& object, std::string prefix = {}) : object_(object), prefix_(std::move(prefix)) {}

  // Absent or null: nullopt.
  std::optional<std::string> Str(const std::string& key);
  // A field that cannot be cleared: absent is nullopt, null is an error.
  std::optional<std::string> StrNotNull(const std::string& key);
  // A text that can be cleared: absent (present=false), null (cleared) or a string.
  services::Patch<std::string> NullableStr(const std::string& key);
  std::optional<std::int64_t> Int(const std::string& key);
  std::optional<bool> Bool(const std::string& key);
  std::optional<std::vector<std::string>> StrList(const std::string& key);
  std::optional<std::map<std::string, std::optional<std::string>>> StrMap(const std::string& key);
  // A nullable id: absent (present=false), null (cleared) or a positive integer.
  services::Patch<std::int64_t> NullableId(const std::string& key);
  // A nested object, or nullptr when absent.
  const nlohmann::json* Object(const std::string& key);
  const nlohmann::json* Array(const std::string& key);

  void Fail(const std::string& key, const std::string& message);
  // The first error, or an error naming the first unknown key.
  Status Finish();

 private:
  const nlohmann::json* Get(const std::string& key);
  std::string Name(const std::string& key) const { return prefix_.empty() ? key : prefix_ + "." + key; }

  const nlohmann::json& object_;
  std::string prefix_;
  std::set<std::string> known_;
  std::optional<Error> error_;
};

}  // namespace kizuna::api
