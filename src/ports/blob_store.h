// The blob store port: attachment bytes, addressed by their SHA-256.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace kizuna::ports {

class BlobStore {
 public:
  virtual ~BlobStore() = default;
  // Stores `bytes` durably (on disk before it returns) and returns their hex SHA-256.
  // Storing the same bytes twice keeps one copy. Thread-safe.
  virtual Result<std::string> Put(std::string_view bytes) = 0;
  // The bytes stored under `sha256`; NotFound when there are none. Thread-safe.
  virtual Result<std::string> Get(std::string_view sha256) = 0;
};

}  // namespace kizuna::ports
