#include "adapters/blob/file_blob_store.h"

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace kizuna::blob {
namespace {

namespace fs = std::filesystem;

bool IsSha256Hex(std::string_view text) {
  if (text.size() != 64) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

Status WriteDurably(const fs::path& path, std::string_view bytes) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Error::Unavailable("cannot write " + path.string());
  std::size_t written = 0;
  while (written < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n <= 0) {
      ::close(fd);
      return Error::Unavailable("cannot write " + path.string() + " (disk full?)");
    }
    written += static_cast<std::size_t>(n);
  }
  bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) return Error::Unavailable("cannot sync " + path.string());
  return Ok();
}

class FileBlobStore final : public ports::BlobStore {
 public:
  explicit FileBlobStore(fs::path dir) : dir_(std::move(dir)) {}

  Result<std::string> Put(std::string_view bytes) override {
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
    char hex[crypto_hash_sha256_BYTES * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    std::string sha(hex, crypto_hash_sha256_BYTES * 2);
    fs::path target = PathOf(sha);
    std::error_code ec;
    if (fs::exists(target, ec)) return sha;
    fs::create_directories(target.parent_path(), ec);
    if (ec) return Error::Unavailable("cannot create " + target.parent_path().string() + ": " + ec.message());
    // Written under a unique name, synced, then renamed: a reader never sees half a blob.
    fs::path temp = target;
    temp += ".tmp" + std::to_string(::getpid()) + "-" + std::to_string(counter_.fetch_add(1));
    KZ_TRY(WriteDurably(temp, bytes));
    fs::rename(temp, target, ec);
    if (ec) {
      fs::remove(temp, ec);
      return Error::Unavailable("cannot store blob " + sha);
    }
    int dir_fd = ::open(target.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd >= 0) {
      ::fsync(dir_fd);
      ::close(dir_fd);
    }
    return sha;
  }

  Result<std::string> Get(std::string_view sha256) override {
    if (!IsSha256Hex(sha256)) return Error::NotFound("no such attachment");
    std::ifstream in(PathOf(std::string(sha256)), std::ios::binary);
    if (!in) return Error::NotFound("no such attachment");
    std::stringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
  }

 private:
  fs::path PathOf(const std::string& sha) const { return dir_ / sha.substr(0, 2) / sha.substr(2); }

  fs::path dir_;
  std::atomic<std::uint64_t> counter_{0};
};

}  // namespace

Result<std::unique_ptr<ports::BlobStore>> OpenFileBlobStore(const std::string& dir) {
  if (sodium_init() < 0) return Error::Internal("libsodium failed to initialise");
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Error::Unavailable("cannot create the blob directory " + dir + ": " + ec.message());
  return std::unique_ptr<ports::BlobStore>(std::make_unique<FileBlobStore>(dir));
}

}  // namespace kizuna::blob
