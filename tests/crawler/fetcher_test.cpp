#include "crawler/fetcher.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "tests/crawler/loopback_server.h"

namespace nh::crawler {
namespace {

using namespace std::chrono_literals;
using testing::HttpRequest;
using testing::LoopbackServer;
using testing::Reply;

Request get(std::string url, std::uint64_t tag = 0) {
  Request r;
  r.url = std::move(url);
  r.tag = tag;
  return r;
}

std::string gzip_plain() {
  std::string s;
  for (int i = 0; i < 40; ++i) s += "压缩的正文 compressed body 0123456789\n";
  return s;
}
// gzip.compress(kGzipPlain, mtime=0)
const std::string kGzipBody(
    "\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\x03\x7b\xda\xd7\xfd\x7c\xcf\xca\xe7\xb3\x5a\x9e\xad\x5d"
    "\xfc\x6c\x5a\xbb\x42\x72\x7e\x6e\x41\x51\x6a\x71\x71\x6a\x8a\x42\x52\x7e\x4a\xa5\x82\x81\xa1"
    "\x91\xb1\x89\xa9\x99\xb9\x85\x25\xd7\xd3\x51\xa5\xa3\x4a\x47\x95\x8e\x2a\x1d\x55\x3a\xaa\x74"
    "\xa0\x95\x02\x00\x0f\x71\x77\xf7\xb8\x06\x00\x00",
    81);
// gzip.compress(b"\0" * 262144, mtime=0): 262144 bytes once decoded
const std::string kGzipBomb(
    "\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\x03\xed\xc1\x31\x01\x00\x00\x00\xc2\xa0\xf5\x4f\xed\x6d"
    "\x07\xa0\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
    "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
    "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
    "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
    "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
    "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
    "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
    "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
    "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
    "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
    "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
    "\x00\x00\x00\xde\x00\x22\xea\x0e\xe2\x00\x00\x04\x00",
    289);

// Routes shared by the tests. Requests seen are recorded for header assertions.
struct Site {
  std::mutex mu;
  std::vector<HttpRequest> seen;

  Reply operator()(const HttpRequest& req) {
    {
      std::lock_guard<std::mutex> lock(mu);
      seen.push_back(req);
    }
    const std::string& t = req.target;
    Reply r;
    r.headers.push_back({"Content-Type", "text/plain; charset=utf-8"});
    if (t == "/ok") {
      r.body = "hello";
      r.headers.push_back({"ETag", "\"v1\""});
      r.headers.push_back({"Last-Modified", "Wed, 26 May 2021 08:00:00 GMT"});
    } else if (t == "/gzip") {
      r.headers.push_back({"Content-Encoding", "gzip"});
      r.body = kGzipBody;
    } else if (t == "/bomb") {
      r.headers.push_back({"Content-Encoding", "gzip"});
      r.body = kGzipBomb;
    } else if (t == "/r1") {
      r.status = 302;
      r.headers.push_back({"Location", "/r2"});
    } else if (t == "/r2") {
      r.status = 301;
      r.headers.push_back({"Location", "r3?x=1"});
    } else if (t == "/r3?x=1") {
      r.body = "final";
    } else if (t == "/loop") {
      r.status = 302;
      r.headers.push_back({"Location", "/loop"});
    } else if (t == "/to-ftp") {
      r.status = 302;
      r.headers.push_back({"Location", "ftp://127.0.0.1/x"});
    } else if (t == "/big-cl") {
      r.body.assign(300'000, 'x');
    } else if (t == "/big-stream") {
      r.body.assign(300'000, 'x');
      r.send_length = false;
      r.chunk = 16'384;
    } else if (t == "/trunc") {
      r.body = "0123456789";
      r.content_length = 100;
      r.close = true;
    } else if (t == "/stall") {
      r.body = "late";
      r.stall = 5s;
    } else if (t == "/trickle") {
      r.body.assign(64, 'x');
      r.chunk = 1;
      r.chunk_pause = 200ms;
    } else if (t == "/hangup") {
      r.hang_up = true;
    } else if (t == "/cond") {
      if (req.headers.count("if-none-match") && req.headers.at("if-none-match") == "\"v1\"" &&
          req.headers.count("if-modified-since") &&
          req.headers.at("if-modified-since") == "Wed, 26 May 2021 08:00:00 GMT") {
        r.status = 304;
      } else {
        r.body = "fresh";
      }
    } else if (t == "/busy") {
      r.status = 503;
      r.headers.push_back({"Retry-After", "7"});
      r.body = "busy";
    } else if (t == "/host") {
      r.body = req.headers.count("host") ? req.headers.at("host") : "";
    } else if (t.starts_with("/slow")) {
      r.delay = 100ms;
      r.body = t;
    } else {
      r.status = 404;
      r.body = "not found";
    }
    return r;
  }
};

class FetcherTest : public ::testing::Test {
 protected:
  FetcherTest() : server_([this](const HttpRequest& r) { return site_(r); }) {}

  FetcherOptions fast_options() {
    FetcherOptions o;
    o.connect_timeout = 1000ms;
    o.total_timeout = 5000ms;
    o.max_body_bytes = 100'000;
    o.user_agent = "newsharvest-test/1.0";
    o.allow_private = true;  // the test server is on 127.0.0.1
    return o;
  }

  Response fetch_one(const Request& req, FetcherOptions o) {
    Fetcher f(std::move(o));
    f.submit(req);
    std::vector<Response> all = f.drain();
    EXPECT_EQ(all.size(), 1u);
    return all.empty() ? Response{} : std::move(all.front());
  }
  Response fetch_one(const std::string& path) {
    return fetch_one(get(server_.url(path)), fast_options());
  }

  Site site_;
  LoopbackServer server_;
};

TEST_F(FetcherTest, Spec_OkWithBodyAndHeaders) {
  Response r = fetch_one(get(server_.url("/ok"), 42), fast_options());
  EXPECT_EQ(r.error, FetchError::none);
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "hello");
  EXPECT_EQ(r.tag, 42u);
  EXPECT_EQ(r.url, server_.url("/ok"));
  EXPECT_EQ(r.final_url, server_.url("/ok"));
  EXPECT_EQ(r.redirects, 0);
  EXPECT_EQ(r.header("ETag"), "\"v1\"");
  EXPECT_EQ(r.header("etag"), "\"v1\"");
  EXPECT_EQ(r.header("last-modified"), "Wed, 26 May 2021 08:00:00 GMT");
  EXPECT_EQ(r.header("content-type"), "text/plain; charset=utf-8");
  EXPECT_EQ(r.header("retry-after"), std::nullopt);
  EXPECT_LT(r.elapsed, 5000ms);
}

TEST_F(FetcherTest, Spec_GzipBodyIsDecoded) {
  Response r = fetch_one("/gzip");
  ASSERT_EQ(r.error, FetchError::none) << r.message;
  EXPECT_EQ(r.body, gzip_plain());
  EXPECT_EQ(r.header("content-encoding"), "gzip");
  std::lock_guard<std::mutex> lock(site_.mu);
  ASSERT_EQ(site_.seen.size(), 1u);
  EXPECT_NE(site_.seen[0].headers["accept-encoding"].find("gzip"), std::string::npos);
}

TEST_F(FetcherTest, Spec_NotFoundIsAStatusNotAnError) {
  Response r = fetch_one("/nope");
  EXPECT_EQ(r.error, FetchError::none);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body, "not found");
}

TEST_F(FetcherTest, Spec_ServerErrorWithRetryAfter) {
  Response r = fetch_one("/busy");
  EXPECT_EQ(r.error, FetchError::none);
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.retry_after, std::chrono::seconds(7));
  EXPECT_EQ(r.header("retry-after"), "7");
  EXPECT_EQ(fetch_one("/ok").retry_after, std::chrono::seconds(0));
}

TEST_F(FetcherTest, Spec_RedirectChainReportsFinalUrl) {
  Response r = fetch_one("/r1");
  EXPECT_EQ(r.error, FetchError::none) << r.message;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "final");
  EXPECT_EQ(r.url, server_.url("/r1"));
  EXPECT_EQ(r.final_url, server_.url("/r3?x=1"));
  EXPECT_EQ(r.redirects, 2);
  // Only the final response's headers are reported.
  EXPECT_EQ(r.header("location"), std::nullopt);
}

TEST_F(FetcherTest, Spec_RedirectLoopIsAnError) {
  Response r = fetch_one("/loop");
  EXPECT_EQ(r.error, FetchError::redirect_loop);
  EXPECT_EQ(to_string(r.error), "redirect_loop");
  EXPECT_EQ(r.redirects, 5);
  EXPECT_EQ(r.message, "more than 5 redirects (last: " + server_.url("/loop") + ")");
}

TEST_F(FetcherTest, Spec_RedirectToOtherSchemeRefused) {
  Response r = fetch_one("/to-ftp");
  EXPECT_EQ(r.error, FetchError::protocol);
  Response direct = fetch_one(get("ftp://127.0.0.1:1/x"), fast_options());
  EXPECT_EQ(direct.error, FetchError::protocol);
}

TEST_F(FetcherTest, Spec_OversizedBodyWithContentLength) {
  Response r = fetch_one("/big-cl");
  EXPECT_EQ(r.error, FetchError::too_large);
  EXPECT_EQ(r.body, "");
  EXPECT_EQ(r.status, 200);
}

TEST_F(FetcherTest, Spec_OversizedBodyWhileStreaming) {
  Response r = fetch_one("/big-stream");
  EXPECT_EQ(r.error, FetchError::too_large);
  EXPECT_EQ(r.message, "body larger than 100000 bytes");
  EXPECT_EQ(r.body, "");
}

TEST_F(FetcherTest, Policy_DecodedSizeIsCapped) {
  Response r = fetch_one("/bomb");  // 289 bytes on the wire, 256 KiB decoded
  EXPECT_EQ(r.error, FetchError::too_large);
}

TEST_F(FetcherTest, Spec_TruncatedBody) {
  Response r = fetch_one("/trunc");
  EXPECT_EQ(r.error, FetchError::truncated);
  EXPECT_EQ(r.body, "0123456789");
  EXPECT_FALSE(r.message.empty());
}

TEST_F(FetcherTest, Spec_StalledTransferTimesOut) {
  FetcherOptions o = fast_options();
  o.total_timeout = 1000ms;
  Response r = fetch_one(get(server_.url("/stall")), o);
  EXPECT_EQ(r.error, FetchError::timeout);
  EXPECT_GE(r.elapsed, 900ms);
  EXPECT_LT(r.elapsed, 3000ms);
}

TEST_F(FetcherTest, Policy_LowSpeedAborts) {
  FetcherOptions o = fast_options();
  o.low_speed_limit = 1000;
  o.low_speed_time = 1s;
  Response r = fetch_one(get(server_.url("/trickle")), o);
  EXPECT_EQ(r.error, FetchError::timeout);
  EXPECT_LT(r.elapsed, 4000ms);
}

TEST_F(FetcherTest, Spec_ConnectionClosedWithoutResponse) {
  Response r = fetch_one("/hangup");
  EXPECT_EQ(r.error, FetchError::reset);
  EXPECT_EQ(r.status, 0);
}

TEST_F(FetcherTest, Spec_ConnectionRefused) {
  // A port that was just free on 127.0.0.1: bind, read the port, close.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  Response r = fetch_one(get("http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/"),
                         fast_options());
  EXPECT_EQ(r.error, FetchError::connect);
  EXPECT_EQ(r.status, 0);
}

TEST_F(FetcherTest, Spec_ConditionalRequestHeadersSent) {
  Request req = get(server_.url("/cond"));
  req.if_none_match = "\"v1\"";
  req.if_modified_since = "Wed, 26 May 2021 08:00:00 GMT";
  req.extra_headers = {"X-Trace: 7"};
  Response r = fetch_one(req, fast_options());
  EXPECT_EQ(r.error, FetchError::none);
  EXPECT_EQ(r.status, 304);
  EXPECT_EQ(r.body, "");
  Response fresh = fetch_one("/cond");
  EXPECT_EQ(fresh.status, 200);
  EXPECT_EQ(fresh.body, "fresh");
  std::lock_guard<std::mutex> lock(site_.mu);
  ASSERT_EQ(site_.seen.size(), 2u);
  EXPECT_EQ(site_.seen[0].headers["user-agent"], "newsharvest-test/1.0");
  EXPECT_EQ(site_.seen[0].headers["x-trace"], "7");
  EXPECT_EQ(site_.seen[1].headers.count("if-none-match"), 0u);
  EXPECT_EQ(site_.seen[1].headers.count("x-trace"), 0u);  // pooled handles are reset
}

TEST_F(FetcherTest, Spec_ResolveMapsVirtualHostToLoopback) {
  FetcherOptions o = fast_options();
  const std::string host = "news.demo-portal.gov.cn:" + std::to_string(server_.port());
  o.resolve = {host + ":127.0.0.1"};
  Response r = fetch_one(get("http://" + host + "/host"), o);
  ASSERT_EQ(r.error, FetchError::none) << r.message;
  EXPECT_EQ(r.body, host);
  EXPECT_EQ(r.final_url, "http://" + host + "/host");
}

TEST_F(FetcherTest, Policy_InFlightBoundNeverExceeded) {
  FetcherOptions o = fast_options();
  o.max_in_flight = 3;
  o.max_host_connections = 10;
  Fetcher f(o);
  for (int i = 0; i < 12; ++i)
    f.submit(get(server_.url("/slow/" + std::to_string(i)), static_cast<std::uint64_t>(i)));
  EXPECT_EQ(f.queued(), 12u);
  std::set<std::uint64_t> tags;
  while (!f.idle()) {
    for (Response& r : f.poll(1000ms)) {
      EXPECT_EQ(r.status, 200);
      EXPECT_EQ(r.body, "/slow/" + std::to_string(r.tag));
      tags.insert(r.tag);
    }
    EXPECT_LE(f.in_flight(), 3u);
  }
  EXPECT_EQ(tags.size(), 12u);
  EXPECT_EQ(f.peak_in_flight(), 3u);
  EXPECT_LE(server_.peak_concurrent(), 3);
  EXPECT_GE(server_.peak_concurrent(), 2);
  EXPECT_LE(server_.connections(), 3);  // keep-alive: connections reused, never more than 3
}

TEST_F(FetcherTest, Policy_MaxHostConnections) {
  FetcherOptions o = fast_options();
  o.max_in_flight = 6;
  o.max_host_connections = 2;
  Fetcher f(o);
  for (int i = 0; i < 8; ++i) f.submit(get(server_.url("/slow/" + std::to_string(i))));
  std::vector<Response> all = f.drain();
  EXPECT_EQ(all.size(), 8u);
  for (const Response& r : all) EXPECT_EQ(r.error, FetchError::none) << r.message;
  EXPECT_LE(server_.peak_concurrent(), 2);
  EXPECT_LE(server_.connections(), 2);
}

TEST_F(FetcherTest, Policy_KeepAliveReusesOneConnection) {
  FetcherOptions o = fast_options();
  o.max_in_flight = 1;
  Fetcher f(o);
  for (int i = 0; i < 5; ++i) f.submit(get(server_.url("/ok")));
  std::vector<Response> all = f.drain();
  ASSERT_EQ(all.size(), 5u);
  for (const Response& r : all) EXPECT_EQ(r.body, "hello");
  EXPECT_EQ(server_.connections(), 1);
  EXPECT_EQ(server_.requests(), 5);
}

TEST_F(FetcherTest, Spec_PollWithNothingToDoReturnsAtOnce) {
  Fetcher f(fast_options());
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_TRUE(f.poll(2000ms).empty());
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 500ms);
  EXPECT_TRUE(f.idle());
}

TEST_F(FetcherTest, Spec_DestroyWithTransfersInFlight) {
  {
    Fetcher f(fast_options());
    f.submit(get(server_.url("/stall")));
    f.submit(get(server_.url("/ok")));
    (void)f.poll(50ms);
  }  // must remove and clean up the in-flight handles without crashing or leaking
  SUCCEED();
}

}  // namespace
}  // namespace nh::crawler
