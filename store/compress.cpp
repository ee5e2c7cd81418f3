#include "store/compress.h"

#include <zstd.h>

#include <memory>

#include "store/store.h"

namespace nh::store {
namespace {
struct CCtxFree {
  void operator()(ZSTD_CCtx* c) const noexcept { ZSTD_freeCCtx(c); }
};
struct DCtxFree {
  void operator()(ZSTD_DCtx* d) const noexcept { ZSTD_freeDCtx(d); }
};
}  // namespace

std::string zstd_compress(std::string_view bytes, int level) {
  // One context per thread: creating a context costs more than compressing a small page.
  thread_local std::unique_ptr<ZSTD_CCtx, CCtxFree> ctx(ZSTD_createCCtx());
  if (!ctx) throw StoreError("zstd: cannot allocate a compression context");
  std::string out(ZSTD_compressBound(bytes.size()), '\0');
  const std::size_t n =
      ZSTD_compressCCtx(ctx.get(), out.data(), out.size(), bytes.data(), bytes.size(), level);
  if (ZSTD_isError(n)) throw StoreError(std::string("zstd: ") + ZSTD_getErrorName(n));
  out.resize(n);
  return out;
}

std::string zstd_decompress(std::string_view frame, const std::string& what) {
  const unsigned long long size = ZSTD_getFrameContentSize(frame.data(), frame.size());
  if (size == ZSTD_CONTENTSIZE_ERROR)
    throw StoreError(what + ": archived page is not a valid zstd frame");
  thread_local std::unique_ptr<ZSTD_DCtx, DCtxFree> ctx(ZSTD_createDCtx());
  if (!ctx) throw StoreError("zstd: cannot allocate a decompression context");
  if (size == ZSTD_CONTENTSIZE_UNKNOWN) {
    // Frames written by streaming compressors (the zstd CLI, other tools filling raw_pages)
    // do not record their size: decompress in chunks.
    ZSTD_DCtx_reset(ctx.get(), ZSTD_reset_session_only);
    std::string out;
    ZSTD_inBuffer in{frame.data(), frame.size(), 0};
    std::string chunk(ZSTD_DStreamOutSize(), '\0');
    std::size_t rc = 1;
    while (in.pos < in.size || rc != 0) {
      ZSTD_outBuffer o{chunk.data(), chunk.size(), 0};
      rc = ZSTD_decompressStream(ctx.get(), &o, &in);
      if (ZSTD_isError(rc))
        throw StoreError(what + ": archived page is damaged: " + ZSTD_getErrorName(rc));
      out.append(chunk.data(), o.pos);
      if (o.pos == 0 && in.pos == in.size && rc != 0)
        throw StoreError(what + ": archived page is truncated");
    }
    return out;
  }
  std::string out(static_cast<std::size_t>(size), '\0');
  const std::size_t n =
      ZSTD_decompressDCtx(ctx.get(), out.data(), out.size(), frame.data(), frame.size());
  if (ZSTD_isError(n))
    throw StoreError(what + ": archived page is damaged: " + ZSTD_getErrorName(n));
  out.resize(n);
  return out;
}

}  // namespace nh::store
