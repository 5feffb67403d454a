#include <chrono>
#include <future>

#include "ports/clock.h"
#include "ports/event_bus.h"
#include "ports/store.h"

namespace kizuna::ports {

Timestamp SystemClock::Now() const {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

Status Store::WriteAndWait(WriteFn fn) {
  std::promise<Status> promise;
  auto future = promise.get_future();
  Write(std::move(fn), [&promise](Status status) { promise.set_value(std::move(status)); });
  return future.get();
}

std::uint64_t EventBus::Subscribe(WorkspaceId ws, Callback callback) {
  std::lock_guard lock(mutex_);
  std::uint64_t handle = next_handle_++;
  subscribers_.emplace(handle, Subscriber{ws, std::make_shared<Callback>(std::move(callback))});
  return handle;
}

void EventBus::Unsubscribe(std::uint64_t handle) {
  std::lock_guard lock(mutex_);
  subscribers_.erase(handle);
}

void EventBus::Publish(const std::vector<Event>& events) {
  if (events.empty()) return;
  std::vector<std::pair<WorkspaceId, std::shared_ptr<Callback>>> targets;
  {
    std::lock_guard lock(mutex_);
    targets.reserve(subscribers_.size());
    for (const auto& [handle, sub] : subscribers_) targets.emplace_back(sub.workspace_id, sub.callback);
  }
  for (const auto& event : events) {
    for (const auto& [ws, callback] : targets) {
      if (ws == event.workspace_id || ws == kEveryWorkspace) (*callback)(event);
    }
  }
}

std::size_t EventBus::SubscriberCount() const {
  std::lock_guard lock(mutex_);
  return subscribers_.size();
}

}  // namespace kizuna::ports
