// The clock port: engines and services never read the time themselves.
#pragma once

#include "core/ids.h"

namespace kizuna::ports {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp Now() const = 0;
};

// Reads the system clock.
class SystemClock final : public Clock {
 public:
  Timestamp Now() const override;
};

}  // namespace kizuna::ports
