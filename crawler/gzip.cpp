#include "crawler/gzip.h"

#include <zlib.h>

#include <memory>

namespace nh::crawler {
namespace {

struct InflateEnd {
  void operator()(z_stream* z) const {
    inflateEnd(z);
    delete z;
  }
};

}  // namespace

bool is_gzip(std::string_view bytes) {
  return bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f &&
         static_cast<unsigned char>(bytes[1]) == 0x8b;
}

Inflated gunzip(std::string_view in, std::size_t cap) {
  Inflated r;
  std::unique_ptr<z_stream, InflateEnd> z(new z_stream{});
  if (inflateInit2(z.get(), 15 + 32) != Z_OK) {  // 15 + 32: zlib or gzip header, detected
    r.error = "cannot start gzip decoding";
    return r;
  }
  z->next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z->avail_in = static_cast<uInt>(in.size());
  char chunk[1 << 16];
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    z->next_out = reinterpret_cast<Bytef*>(chunk);
    z->avail_out = sizeof chunk;
    rc = inflate(z.get(), Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      r.error = std::string("corrupt gzip data (") + (z->msg ? z->msg : "inflate failed") + ")";
      return r;
    }
    r.bytes.append(chunk, sizeof chunk - z->avail_out);
    if (r.bytes.size() > cap) {
      r.bytes.resize(cap);
      r.ok = r.over_cap = true;
      return r;
    }
    if (rc == Z_OK && z->avail_in == 0 && z->avail_out != 0) {
      r.error = "truncated gzip data";
      return r;
    }
  }
  r.ok = true;
  return r;
}

}  // namespace nh::crawler
