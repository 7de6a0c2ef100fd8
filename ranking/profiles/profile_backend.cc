#include "ranking/profiles/profile_backend.h"

#include <future>
#include <memory>

namespace tailor::ranking {

Status ProfileBackend::AppendAndWait(std::vector<Event> events) {
  auto result = std::make_shared<std::promise<Status>>();
  std::future<Status> future = result->get_future();
  Append(std::move(events), [result](Status status) { result->set_value(status); });
  return future.get();
}

Result<bool> ProfileBackend::ForgetAndWait(std::string visitor) {
  auto result = std::make_shared<std::promise<Result<bool>>>();
  std::future<Result<bool>> future = result->get_future();
  Forget(std::move(visitor), [result](Result<bool> found) { result->set_value(found); });
  return future.get();
}

}  // namespace tailor::ranking
