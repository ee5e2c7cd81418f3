"""HTTP server of the demo portal (Python standard library only).

Serves the generated site from memory on 127.0.0.1, by virtual host (Host header):
  demo.portal.test[:port], 127.0.0.1:port, localhost:port, anything else -> main portal
  www.gxzx-mirror.test[:port]                                              -> mirror host
HTTP/1.1 keep-alive, one thread per connection, strong ETags and Last-Modified with 304s,
gzip on Accept-Encoding, one JSON line per request in --log, fault routes under /__fault/,
admin controls under /__admin/, the manifest at /__manifest.json. See scripts/portal/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import email.utils
import gzip
import hashlib
import http.server
import json
import shutil
import signal
import socket
import struct
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from . import model as m
from . import templates

GIF = (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
       b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")
LOGGED_HEADERS = {"If-None-Match": "if_none_match", "If-Modified-Since": "if_modified_since",
                  "User-Agent": "user_agent", "Accept-Encoding": "accept_encoding", "Range": "range",
                  "Connection": "connection"}
TRACKING = ("utm_", "spm", "from", "share_token")
SEED_PATH = f"/szdt/{m.SEED_DATE:%Y%m}/t{m.SEED_DATE:%Y%m%d}_{m.SEED_ID}.html"


class Portal(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, addr, site: m.Site, log_path: str | None, root: Path | None):
        super().__init__(addr, Handler)
        self.site = site
        self.root = root
        self.lock = threading.Lock()  # site mutations and the flaky counters
        self.log_lock = threading.Lock()
        self.log = open(log_path, "a", encoding="utf-8", buffering=1) if log_path else None
        self.conn_seq = 0
        self.flaky: dict[str, int] = {}
        self.cache: dict = {}
        self.stopping = threading.Event()
        self.query_index: dict = {}
        self._reindex()

    def _reindex(self) -> None:
        idx, routed = {}, set()
        for host, pq in self.site.resources:
            path, _, q = pq.partition("?")
            idx[(host, path, canon_query(q))] = pq
            if q:
                routed.add((host, path))
        self.query_index = idx
        self.query_routed = routed
        self.cache = {}

    def mutate(self, fn):
        with self.lock:
            out = fn(self.site)
            self.site.render()
            self._reindex()
            if self.root:
                self.site.write(self.root)
            return out

    def write_log(self, rec: dict) -> None:
        if not self.log:
            return
        line = json.dumps(rec, ensure_ascii=False)
        with self.log_lock:
            self.log.write(line + "\n")


def canon_query(q: str) -> tuple:
    pairs = urllib.parse.parse_qsl(q, keep_blank_values=True)
    return tuple(sorted((k, v) for k, v in pairs if not k.lower().startswith(TRACKING)))


def iso_ms(t: float) -> str:
    return dt.datetime.fromtimestamp(t, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{int(t * 1000) % 1000:03d}Z"


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "DemoPortal/1.0"
    sys_version = ""

    def version_string(self):
        return self.server_version
    timeout = 30  # idle keep-alive connections are closed after 30 s
    server: Portal

    # -- plumbing ---------------------------------------------------------------
    def setup(self):
        super().setup()
        # headers and body are separate writes: without NODELAY, Nagle + delayed ACK cost 40 ms a response
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self.server.lock:
            self.server.conn_seq += 1
            self.conn_id = self.server.conn_seq

    def log_message(self, format, *args):  # noqa: A002 - the JSON log replaces stderr lines
        pass

    def parse_request(self):
        # The request line has been read: when the request arrived (not when the connection
        # began waiting for it, `start`, nor when the answer was done, `time`).
        self._arrived = time.time()
        return super().parse_request()

    def handle_one_request(self):
        self._t0 = time.time()
        self._arrived = self._t0
        self._status = 0
        self._bytes = 0
        self._encoding = None
        self._fault = None
        try:
            super().handle_one_request()
        except (BrokenPipeError, ConnectionResetError, socket.timeout, OSError):
            self.close_connection = True
            if self._status or self._fault:
                self._log()
            return
        if getattr(self, "command", None) and self._status:
            self._log()

    def _log(self):
        h = self.headers if hasattr(self, "headers") and self.headers else {}
        rec = {"time": iso_ms(time.time()), "start": iso_ms(self._t0),
               "arrived": iso_ms(self._arrived),
               "duration_ms": round((time.time() - self._t0) * 1000, 1),
               "conn": self.conn_id, "peer_port": self.client_address[1],
               "host": h.get("Host") if h else None, "method": self.command, "path": self.path,
               "status": self._status, "bytes": self._bytes, "content_encoding": self._encoding}
        for k, v in LOGGED_HEADERS.items():
            rec[v] = h.get(k) if h else None
        if self._fault:
            rec["fault"] = self._fault
        self.server.write_log(rec)
        self._status, self._fault = 0, None  # logged once

    def send_response(self, code, message=None):
        self._status = code
        super().send_response(code, message)

    def _send(self, code: int, body: bytes, ctype: str = "text/html; charset=utf-8", headers: dict | None = None):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        # The log line goes out before the body: a client that has read the whole response
        # finds its request in the log (logging after the write raced tests that read the log
        # the moment the client exits, under load).
        self._bytes = 0 if self.command == "HEAD" else len(body)
        self._log()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, code: int, obj) -> None:
        self._send(code, json.dumps(obj, ensure_ascii=False, indent=1).encode(), "application/json; charset=utf-8")

    # -- methods ------------------------------------------------------------------
    def do_GET(self):
        self._route()

    def do_HEAD(self):
        self._route()

    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        if n:
            self.rfile.read(min(n, 1 << 20))
        self._route()

    def _vhost(self) -> str:
        h = (self.headers.get("Host") or "").lower()
        name = h.rsplit(":", 1)[0] if ":" in h else h
        return m.MIRROR_HOST if name == m.MIRROR_HOST else m.MAIN_HOST

    def _route(self):
        url = urllib.parse.urlsplit(self.path)
        path, query = url.path, url.query
        if path.startswith("/__fault/"):
            return self._fault_route(path, urllib.parse.parse_qs(query))
        if path.startswith("/__admin/"):
            return self._admin(path, urllib.parse.parse_qs(query))
        if path == "/__manifest.json":
            text = json.dumps(self.server.site.manifest(), ensure_ascii=False, indent=1)
            return self._send(200, m.substitute_text(text, self.headers.get("Host")).encode(),
                              "application/json; charset=utf-8")
        if self.command == "POST":
            return self._send(405, b"method not allowed\n", "text/plain", {"Allow": "GET, HEAD"})
        host = self._vhost()
        if host == m.MAIN_HOST and path.startswith("/admin/"):
            return self._send(200, self._simple_page("网站管理登录", '<form method="post" action="/admin/login.php">'
                                                     '<input name="user"><input name="pass" type="password"></form>'))
        if host == m.MAIN_HOST and path.startswith("/search/"):
            q = urllib.parse.parse_qs(query).get("q", [""])[0]
            return self._send(200, self._simple_page("站内搜索", f"<p>关于“{m.esc(q)}”的搜索结果：共0条</p>"))
        if path.startswith("/uploads/") or path.startswith("/static/img/"):
            return self._send(200, GIF, "image/gif", {"Cache-Control": "max-age=86400"})
        self._resource(host, path, query)

    def _simple_page(self, title: str, body: str) -> bytes:
        return (templates.head(f"{title}_{m.SITE_NAME}", "utf-8") + templates.header(self.server.site)
                + f'<div class="main wrap"><h2>{title}</h2>{body}</div>\n' + templates.footer()).encode()

    def _lookup(self, host: str, path: str, query: str):
        res = self.server.site.resources
        pq = path + ("?" + query if query else "")
        if (host, pq) in res:
            return pq
        hit = self.server.query_index.get((host, path, canon_query(query)))
        if hit is None and query and (host, path) in res and (host, path) not in self.server.query_routed:
            return path  # a static page ignores unknown parameters (?v=2, ?from=...)
        return hit

    def _resource(self, host: str, path: str, query: str):
        key = self._lookup(host, path, query)
        if key is None:
            if not path.endswith("/") and self._lookup(host, path + "/", "") is not None:
                return self._send(301, b"", headers={"Location": path + "/"})
            body = self._simple_page("404 页面不存在", "<p>您访问的页面不存在或已被删除。</p>")
            return self._send(404, body)
        res = self.server.site.resources.get((host, key))
        if res is None:  # replaced by a concurrent re-render
            return self._resource(host, path, query)
        hosthdr = self.headers.get("Host")
        ck = (host, key, hosthdr)
        hit = self.server.cache.get(ck)
        if hit is None or hit[0] is not res:
            body = m.substitute(res.body, hosthdr)
            hit = (res, body, '"' + hashlib.sha1(body).hexdigest()[:20] + '"', [None])
            self.server.cache[ck] = hit
        _, body, etag, gz = hit
        want_gzip = accepts_gzip(self.headers.get("Accept-Encoding", ""))
        tag = etag[:-1] + '-gzip"' if want_gzip else etag
        headers = {"ETag": tag, "Last-Modified": templates.http_date(res.last_modified),
                   "Vary": "Accept-Encoding", "Cache-Control": "max-age=0, must-revalidate"}
        if self._not_modified(etag, res.last_modified):
            self.send_response(304)
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            return
        if want_gzip:
            if gz[0] is None:
                gz[0] = gzip.compress(body, 6, mtime=0)
            body = gz[0]
            headers["Content-Encoding"] = "gzip"
            self._encoding = "gzip"
        self._send(200, body, res.ctype, headers)

    def _not_modified(self, etag: str, lm: float) -> bool:
        inm = self.headers.get("If-None-Match")
        if inm is not None:
            base = etag.strip('"')
            for t in inm.split(","):
                t = t.strip()
                if t.startswith("W/"):
                    t = t[2:]
                t = t.strip('"')
                if t == "*" or t == base or t == base + "-gzip":
                    return True
            return False
        ims = self.headers.get("If-Modified-Since")
        if ims:
            try:
                t = email.utils.parsedate_to_datetime(ims).timestamp()
            except (TypeError, ValueError):
                return False
            return int(lm) <= t
        return False

    # -- admin ----------------------------------------------------------------------
    def _admin(self, path: str, q: dict):
        site = self.server.site
        if path == "/__admin/state":
            return self._json(200, {"article_count": len(site.articles), "template": site.template,
                                    "publish_count": site.publish_count, "clock": site.clock.isoformat(),
                                    "faults": site.faults, "connections": self.server.conn_seq})
        if self.command != "POST":
            return self._send(405, b"use POST\n", "text/plain", {"Allow": "POST"})
        if path == "/__admin/publish":
            n = int(q.get("n", ["10"])[0])
            if not 0 < n <= 1000:
                return self._json(400, {"error": "n must be 1..1000"})
            new = self.server.mutate(lambda s: s.publish(n))
            host = self.headers.get("Host")
            return self._json(200, {"published": [m.substitute_text(a.url, host) for a in new],
                                    "article_count": len(site.articles)})
        if path == "/__admin/revise":
            n = int(q.get("n", ["1"])[0])
            if not 0 < n <= 1000:
                return self._json(400, {"error": "n must be 1..1000"})
            done = self.server.mutate(lambda s: s.revise(n))
            host = self.headers.get("Host")
            return self._json(200, {"revised": [m.substitute_text(a.url, host) for a in done]})
        if path == "/__admin/template":
            fam = q.get("family", ["v2"])[0]
            if fam not in ("v1", "v2", "app"):
                return self._json(400, {"error": "family must be v1, v2 or app"})
            self.server.mutate(lambda s: s.set_template(fam))
            return self._json(200, {"template": site.template})
        return self._json(404, {"error": "unknown admin route"})

    # -- faults ---------------------------------------------------------------------
    def _fault_route(self, path: str, q: dict):
        name = path[len("/__fault/"):]
        self._fault = name
        arg = lambda k, d: q.get(k, [d])[0]  # noqa: E731
        seed = self.server.site.resources[(m.MAIN_HOST, SEED_PATH)].body
        seed = m.substitute(seed, self.headers.get("Host"))
        if name == "" or name == "index":
            return self._json(200, FAULT_ROUTES)
        if name in ("500", "503", "404", "403", "410"):
            code = int(name)
            hdr = {"Retry-After": "1"} if code == 503 else {}
            return self._send(code, f"<html><body><h1>{code}</h1></body></html>\n".encode(), headers=hdr)
        if name == "429":
            return self._send(429, b"<html><body><h1>429 Too Many Requests</h1></body></html>\n",
                              headers={"Retry-After": arg("retry_after", "1")})
        if name.startswith("status/"):
            return self._send(int(name.split("/")[1]), b"status\n", "text/plain")
        if name == "empty":
            return self._send(200, b"")
        if name == "slow":
            chunks, delay = int(arg("chunks", "10")), int(arg("delay", "300")) / 1000
            body = seed
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            step = max(1, -(-len(body) // chunks))
            for i in range(0, len(body), step):
                if self.server.stopping.wait(delay):
                    break
                self.wfile.write(body[i:i + step])
                self.wfile.flush()
                self._bytes += len(body[i:i + step])
            return
        if name == "stall":
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            self.wfile.flush()
            self.server.stopping.wait(float(arg("seconds", "30")))
            self.close_connection = True
            return
        if name == "reset":
            self._status = 0
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self._log_now("reset")
            self.connection.close()
            self.close_connection = True
            self.wfile = _Null()
            return
        if name.startswith("redirect/"):
            n = int(name.split("/")[1])
            to = arg("to", SEED_PATH)
            if n <= 1:
                return self._send(301, b"", headers={"Location": to})
            code = (302, 301, 307)[n % 3]
            loc = f"/__fault/redirect/{n - 1}?to=" + urllib.parse.quote(to, safe="")
            return self._send(code, b"", headers={"Location": loc})
        if name in ("loop/a", "loop/b"):
            return self._send(302, b"", headers={"Location": "/__fault/loop/" + ("b" if name == "loop/a" else "a")})
        if name == "truncated":
            body = seed[:2000]
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(seed)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body)
            self._bytes = len(body)
            self.close_connection = True
            return
        if name == "oversized":
            total = int(float(arg("mb", "20")) * 1024 * 1024)
            chunked = arg("chunked", "0") == "1"
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            if chunked:
                self.send_header("Transfer-Encoding", "chunked")
            else:
                self.send_header("Content-Length", str(total))
            self.end_headers()
            block = (b"<p>" + "政协新闻填充内容".encode() * 40 + b"</p>\n")
            block = (block * (65536 // len(block) + 1))[:65536]
            sent = 0
            while sent < total and not self.server.stopping.is_set():
                part = block[:min(len(block), total - sent)]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part) if chunked else part)
                sent += len(part)
                self._bytes = sent
            if chunked:
                self.wfile.write(b"0\r\n\r\n")
            return
        if name == "wrong-charset":
            gbk = next(a for a in self.server.site.articles if a.charset == "gbk")
            body = self.server.site.resources[(m.MAIN_HOST, gbk.path)].body.replace(b"charset=gb2312", b"charset=utf-8")
            return self._send(200, m.substitute(body, self.headers.get("Host")), "text/html; charset=utf-8")
        if name == "flaky":
            key, fails = arg("key", "default"), int(arg("fails", "2"))
            code = int(arg("status", "503"))
            with self.server.lock:
                seen = self.server.flaky.get(key, 0)
                self.server.flaky[key] = seen + 1
            if seen < fails:
                return self._send(code, f"<html><body>{code} try again</body></html>\n".encode(),
                                  headers={"Retry-After": "1"})
            to = arg("to", "")
            if to:
                return self._send(301, b"", headers={"Location": to})
            return self._send(200, seed)
        self._fault = None
        return self._send(404, b"unknown fault\n", "text/plain")

    def _log_now(self, status_text: str):
        self._fault = (self._fault or "") + ":" + status_text
        self._log()


class _Null:
    def write(self, b):
        return len(b)

    def flush(self):
        pass

    def close(self):
        pass

    closed = False


FAULT_ROUTES = {
    "/__fault/500": "500", "/__fault/503": "503 with Retry-After: 1", "/__fault/404": "404",
    "/__fault/429?retry_after=1": "429 with Retry-After",
    "/__fault/status/NNN": "any status", "/__fault/empty": "200 with an empty body",
    "/__fault/slow?chunks=10&delay=300": "the sample article trickled in chunks, delay ms between chunks",
    "/__fault/stall?seconds=30": "headers (Content-Length 100000) then nothing, close after seconds",
    "/__fault/reset": "TCP reset (SO_LINGER 0) without a response",
    "/__fault/redirect/3?to=PATH": "3 redirects (307/301/302 ...) ending with 301 to PATH (default the sample article)",
    "/__fault/loop/a": "redirect loop a <-> b",
    "/__fault/truncated": "Content-Length of the whole sample page, 2000 bytes sent, then close",
    "/__fault/oversized?mb=20&chunked=0": "20 MB body (chunked=1: no Content-Length)",
    "/__fault/wrong-charset": "a GBK article labelled charset=utf-8 in header and meta",
    "/__fault/flaky?key=K&fails=2&status=503&to=PATH": "status `fails` times per key, then 301 to PATH (or 200)",
}


def accepts_gzip(ae: str) -> bool:
    for part in ae.lower().split(","):
        tok, _, params = part.strip().partition(";")
        if tok.strip() in ("gzip", "x-gzip", "*"):
            return "q=0" not in params.replace(" ", "") or "q=0." in params.replace(" ", "")
    return False


# --- entry point -----------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Demo portal for newsharvest (loopback only).")
    ap.add_argument("--root", help="write the generated site and manifest.json here (default: a temp dir, removed at exit)")
    ap.add_argument("--port", type=int, default=0, help="0: a free port, printed as 'PORT N' on the first line")
    ap.add_argument("--bind", default="127.0.0.1", choices=["127.0.0.1", "::1"], help="loopback address to listen on")
    ap.add_argument("--log", help="append one JSON line per request to this file")
    ap.add_argument("--gen-seed", type=int, default=20210526, help="random seed of the generated texts")
    ap.add_argument("--per-section", type=int, default=None, help="articles per section (default 30-70 each)")
    ap.add_argument("--faults", action="store_true", help="link fault routes from the 时政动态 first list page")
    ap.add_argument("--template", default="v1", choices=["v1", "v2", "app"],
                    help="article template (v2: the redesign; app: a client-rendered shell)")
    ap.add_argument("--crawl-delay", default="0.1", help="Crawl-delay for User-agent: newsharvest in robots.txt")
    ap.add_argument("--generate-only", action="store_true", help="write --root and exit")
    args = ap.parse_args(argv)

    t0 = time.time()
    site = m.Site(seed=args.gen_seed, faults=args.faults, template=args.template,
                  crawl_delay=args.crawl_delay, per_section=args.per_section)
    site.render()
    tmp = None
    root = Path(args.root) if args.root else Path(tmp := tempfile.mkdtemp(prefix="demo-portal-"))
    site.write(root)
    gen_s = time.time() - t0
    if args.generate_only:
        print(f"ROOT {root}\nARTICLES {len(site.articles)}\nGENERATED_S {gen_s:.2f}", flush=True)
        return 0

    family = socket.AF_INET6 if ":" in args.bind else socket.AF_INET
    Portal.address_family = family
    srv = Portal((args.bind, args.port), site, args.log, root)
    port = srv.server_address[1]
    print(f"PORT {port}", flush=True)
    print(f"ROOT {root}\nMANIFEST {root / 'manifest.json'}\nARTICLES {len(site.articles)}\n"
          f"GENERATED_S {gen_s:.2f}\nHOSTS {m.MAIN_HOST} {m.MIRROR_HOST}", flush=True)

    done = threading.Event()

    def stop(*_):
        done.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    th = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
    th.start()
    try:
        while not done.wait(0.5):
            pass
    finally:
        srv.stopping.set()
        srv.shutdown()
        srv.server_close()
        if srv.log:
            srv.log.close()
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
