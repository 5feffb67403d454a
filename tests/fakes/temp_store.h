// A real SQLite store in a fresh temporary directory, removed afterwards.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "adapters/storage/sqlite/sqlite_store.h"
#include "ports/clock.h"

namespace kizuna::testing {

class TempStore {
 public:
  TempStore() {
    std::string pattern = (std::filesystem::temp_directory_path() / "kizuna-store-XXXXXX").string();
    dir_ = mkdtemp(pattern.data());
    Open();
  }
  ~TempStore() {
    store_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  void Open() {
    storage::SqliteOptions options;
    options.path = path();
    options.synchronous_full = false;  // durability is not what these tests measure
    auto opened = storage::OpenSqliteStore(options, &bus_);
    if (!opened.ok()) throw std::runtime_error(opened.error().message);
    store_ = std::move(opened).value();
  }
  void Close() { store_.reset(); }
  std::string path() const { return dir_ + "/kizuna.db"; }
  ports::Store& store() { return *store_; }

  // Runs `fn` (WriteTx& -> Result<T>) in a write transaction and returns its value.
  template <typename T, typename Fn>
  Result<T> WriteValue(Fn fn) {
    std::optional<T> out;
    Status s = store_->WriteAndWait([&](ports::WriteTx& tx) -> Status {
      KZ_ASSIGN(T value, fn(tx));
      out = std::move(value);
      return Ok();
    });
    if (!s.ok()) return s.error();
    return std::move(*out);
  }
  ports::EventBus& bus() { return bus_; }

 private:
  std::string dir_;
  ports::EventBus bus_;
  std::unique_ptr<ports::Store> store_;
};

// A clock that moves only when told to.
class FakeClock final : public ports::Clock {
 public:
  explicit FakeClock(Timestamp start = 1'790'000'000'000) : now_(start) {}
  Timestamp Now() const override { return now_; }
  void Advance(Timestamp ms) { now_ += ms; }

 private:
  Timestamp now_;
};

}  // namespace kizuna::testing
