// The one include of Boost.Asio and Boost.Beast for Tailor. Boost 1.74's asio/awaitable.hpp
// uses std::exchange without including <utility>, which GCC 12 in C++20 mode rejects, so
// <utility> comes first. server/http's sources and internal/ headers include it; no public
// header of server/http does: Beast is slow to compile. It keeps the place STYLE.md names
// for it. (The tools' and tests' HTTP client, tools/http_client.cc, has its own includes.)
#pragma once

// clang-format off
#include <utility>
// clang-format on

#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace tailor::server::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = boost::asio::ip::tcp;

}  // namespace tailor::server::http
