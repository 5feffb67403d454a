// BlobStore on the local file system: DIR/ab/cdef… by SHA-256, written atomically.
#pragma once

#include <memory>
#include <string>

#include "ports/blob_store.h"

namespace kizuna::blob {

// REQUIRES: `dir` is writable (created when missing).
Result<std::unique_ptr<ports::BlobStore>> OpenFileBlobStore(const std::string& dir);

}  // namespace kizuna::blob
