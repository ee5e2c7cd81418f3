"""Tests of the demo portal (scripts/portal_server.py): started as a subprocess on 127.0.0.1.

Run: python3 -m unittest discover -s tests/portal -v   (ctest: portal.unit)
"""

from __future__ import annotations

import gzip
import http.client
import json
import os
import re
import select
import socket
import subprocess
import sys
import tempfile
import time
import unicodedata
import unittest
import urllib.parse
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SERVER = ROOT / "scripts" / "portal_server.py"
SEED_EXPECTED = ROOT.parent / "shared" / "mission" / "seed-expected.json"
MAIN = "demo.portal.test"
MIRROR = "www.gxzx-mirror.test"
RECORD_FIELDS = {"url", "site", "section", "title", "subtitle", "published_at", "reporters", "contributors",
                 "source", "body", "language", "charset"}
ROLES = {"reporter", "correspondent", "intern", "photographer", "editor", "reviewer", "translator", "author"}


class Portal:
    """One server process; requests go to 127.0.0.1:port with a virtual Host header."""

    def __init__(self, *args: str):
        self.tmp = tempfile.TemporaryDirectory(prefix="portal-test-")
        self.log = os.path.join(self.tmp.name, "requests.jsonl")
        self.proc = subprocess.Popen([sys.executable, str(SERVER), "--port", "0", "--log", self.log, *args],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        ready, _, _ = select.select([self.proc.stdout], [], [], 15)
        if not ready:
            self.stop()
            raise RuntimeError("portal did not print its port")
        self.first_line = self.proc.stdout.readline().strip()
        m = re.fullmatch(r"PORT (\d+)", self.first_line)
        if not m:
            err = self.proc.stderr.read() if self.proc.poll() is not None else ""
            self.stop()
            raise RuntimeError(f"bad first line {self.first_line!r} {err}")
        self.port = int(m.group(1))
        self.info = {}
        for _ in range(5):
            k, _, v = self.proc.stdout.readline().strip().partition(" ")
            self.info[k] = v
        self.conn: http.client.HTTPConnection | None = None

    def stop(self):
        if self.conn is not None:
            self.conn.close()
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for f in (self.proc.stdout, self.proc.stderr):
            if f:
                f.close()
        self.tmp.cleanup()

    def request(self, path: str, host: str | None = MAIN, method: str = "GET", headers: dict | None = None,
                fresh: bool = False):
        """(status, headers dict with lower-case names, body bytes); keeps one keep-alive connection."""
        if "://" in path:
            u = urllib.parse.urlsplit(path)
            host = u.netloc
            path = u.path + ("?" + u.query if u.query else "")
        h = dict(headers or {})
        if host:
            h["Host"] = host
        for attempt in range(2):
            if self.conn is None or fresh:
                if self.conn is not None:
                    self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            try:
                self.conn.request(method, path, headers=h)
                r = self.conn.getresponse()
                body = r.read()
                hdrs = {k.lower(): v for k, v in r.getheaders()}
                if r.will_close:
                    self.conn.close()
                    self.conn = None
                return r.status, hdrs, body
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()
                self.conn = None
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def manifest(self) -> dict:
        status, _, body = self.request("/__manifest.json", host=MAIN)
        assert status == 200
        return json.loads(body)

    def raw(self, path: str, timeout: float = 5.0) -> socket.socket:
        s = socket.create_connection(("127.0.0.1", self.port), timeout=timeout)
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: {MAIN}\r\n\r\n".encode())
        return s

    def log_lines(self) -> list[dict]:
        time.sleep(0.05)
        with open(self.log, encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]


def read_headers(s: socket.socket) -> tuple[bytes, bytes]:
    buf = b""
    while b"\r\n\r\n" not in buf:
        chunk = s.recv(4096)
        if not chunk:
            break
        buf += chunk
    head, _, rest = buf.partition(b"\r\n\r\n")
    return head, rest


def next_link(html: str) -> str | None:
    m = re.search(r"""<a href=['"]([^'"]+)['"][^>]*>下一页</a>""", html)
    return m.group(1).replace("&amp;", "&") if m else None


class PortalReadOnlyTest(unittest.TestCase):
    """Everything that does not change the site, against one server."""

    @classmethod
    def setUpClass(cls):
        cls.p = Portal()
        cls.m = cls.p.manifest()
        cls.arts = cls.m["articles"]

    @classmethod
    def tearDownClass(cls):
        cls.p.stop()

    def get(self, path, **kw):
        return self.p.request(path, **kw)

    def text(self, path, charset="utf-8", **kw):
        status, h, body = self.get(path, **kw)
        self.assertEqual(status, 200, path)
        return body.decode(charset)

    # -- startup -----------------------------------------------------------------
    def test_port_line_and_generation_time(self):
        self.assertRegex(self.p.first_line, r"^PORT \d+$")
        # How long generation took is reported, not asserted (no wall-clock assertions: a
        # loaded machine is not a defect).
        self.assertGreaterEqual(float(self.p.info["GENERATED_S"]), 0.0)
        self.assertTrue(Path(self.p.info["MANIFEST"]).exists())

    # -- pages --------------------------------------------------------------------
    def test_home_page(self):
        status, h, body = self.get("/")
        self.assertEqual(status, 200)
        self.assertEqual(h["content-type"], "text/html; charset=utf-8")
        html = body.decode()
        self.assertIn("示范政协新闻网", html)
        for name in ("时政动态", "协商议政", "委员风采", "市县政协", "通知公告"):
            self.assertIn(name, html)
        self.assertIn('href="/admin/login.php"', html)
        self.assertIn('href="/search/?q=', html)

    def test_article_families_have_their_markup(self):
        markers = {"trs": ['<meta name="ArticleTitle"', '<meta name="PubDate"', '<meta name="ContentSource"',
                           '<meta name="ColumnName"', 'class="TRS_Editor"'],
                   "hanweb": ['id="zoom"', '<meta name="ArticleTitle"'],
                   "phpcms": ['<div class="content">', 'og:site_name', 'rel="canonical"'],
                   "dede": ['<div class="content">', 'charset=gb2312'],
                   "founder": ["<founder-content>", 'id="ozoom"'],
                   "mirror": ['class="article-content"']}
        url_re = {"trs": r"/(szdt|tzgg)/\d{6}/t\d{8}_\d+\.html$", "hanweb": r"/art/\d{4}/\d+/\d+/art_15_\d+\.html$",
                  "phpcms": r"/xsyz/show-12-\d+\.html$", "dede": r"/a/\d{8}/\d+\.html$",
                  "founder": r"/html/\d{4}-\d\d/\d\d/content_\d+\.htm$", "mirror": r"/news/\d{4}/\d{4}/\d+\.html$"}
        seen = set()
        for a in self.arts:
            fam = a["family"]
            if fam in seen:
                continue
            seen.add(fam)
            self.assertRegex(a["url"], url_re[fam])
            cs = "gbk" if a["expected"]["charset"] == "gb18030" else "utf-8"
            html = self.text(a["url"], cs)
            for marker in markers[fam]:
                self.assertIn(marker, html, f"{fam}: {marker}")
            h1 = re.search(r"<h1[^>]*>(.*?)</h1>", html).group(1)
            self.assertEqual(unicodedata.normalize("NFKC", h1), a["expected"]["title"])
            for chrome in ("上一篇", "下一篇", "版权所有"):
                if fam != "mirror":
                    self.assertIn(chrome, html, fam)
            if fam != "mirror":
                self.assertRegex(html, r"当前位置：|您现在的位置：")
                self.assertIn("&gt; 正文", html)
        self.assertEqual(seen, set(markers))

    def test_gbk_section_is_gbk_bytes(self):
        lst = self.m["lists"]["wyfc"]
        self.assertEqual(lst["charset"], "gbk")
        art = next(a for a in self.arts if a["section_slug"] == "wyfc")
        for url in (lst["pages"][0], art["url"]):
            status, h, body = self.get(url)
            self.assertEqual(status, 200)
            self.assertEqual(h["content-type"], "text/html; charset=gb2312")
            self.assertIn(b'charset=gb2312"', body)
            with self.assertRaises(UnicodeDecodeError):
                body.decode("utf-8")
            self.assertIn("委员风采", body.decode("gbk"))
        self.assertEqual(art["expected"]["charset"], "gb18030")

    def test_pagination_styles_reach_every_article(self):
        lists = self.m["lists"]
        self.assertTrue(lists["szdt"]["pages"][1].endswith("/szdt/index_1.html"))
        self.assertTrue(lists["szdt"]["pages"][2].endswith("/szdt/index_2.html"))
        self.assertTrue(lists["xsyz"]["pages"][1].endswith("&page=2"))
        self.assertTrue(lists["sxzx"]["pages"][1].endswith("index.html?page=2"))
        self.assertTrue(lists["wyfc"]["pages"][1].endswith("/wyfc/list_3_2.html"))
        for slug, lst in lists.items():
            if slug == "epaper":
                continue
            charset = "gbk" if lst["charset"] == "gbk" else "utf-8"
            url, visited, linked = lst["pages"][0], [], set()
            while url:  # follow 下一页 only
                html = self.text(url, charset)
                visited.append(url)
                for href in re.findall(r'<li><span class="date">[^<]*</span><a href="([^"]+)"', html):
                    linked.add(urllib.parse.urljoin(url, href.replace("&amp;", "&")))
                nl = next_link(html)
                url = urllib.parse.urljoin(url, nl) if nl else None
                self.assertLess(len(visited), 20)
            self.assertEqual(visited, lst["pages"], slug)
            want = {a["url"] for a in self.arts if a["section_slug"] == slug}
            self.assertEqual(want - linked, set(), slug)
        # e-paper: issue index -> layout pages -> articles
        html = self.text(lists["epaper"]["pages"][0])
        issues = lists["epaper"]["issues"]
        found = set()
        for iu in issues:
            self.assertIn(urllib.parse.urlsplit(iu).path, html)
            for href in re.findall(r'href="(content_\d+\.htm)"', self.text(iu)):
                found.add(urllib.parse.urljoin(iu, href))
        self.assertEqual({a["url"] for a in self.arts if a["section_slug"] == "epaper"}, found)

    def test_every_manifest_url_returns_200(self):
        self.assertGreaterEqual(len(self.arts), 300)
        self.assertEqual(self.m["article_count"], len(self.arts))
        urls = []
        for a in self.arts:
            urls += a["pages"] + [x["url"] for x in a["alternates"]]
        for lst in self.m["lists"].values():
            urls += lst["pages"] + lst.get("issues", [])
        for u in urls:
            status, h, body = self.get(u)
            self.assertEqual(status, 200, u)
            self.assertTrue(h["content-type"].startswith("text/html; charset="), u)
        self.assertGreater(len(urls), 340)

    def test_manifest_records_follow_the_contract(self):
        for a in self.arts:
            e = a["expected"]
            self.assertEqual(set(e), RECORD_FIELDS)
            self.assertEqual(e["url"], a["url"])
            for k, v in e.items():
                self.assertNotEqual(v, "", f"{a['url']} {k}")
            self.assertRegex(e["published_at"], r"^\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\d\+08:00)?$")
            self.assertIn(e["charset"], ("utf-8", "gb18030"))
            self.assertEqual(e["language"], "zh")
            for c in e["contributors"]:
                self.assertIn(c["role"], ROLES)
            self.assertEqual(e["reporters"], [c["name"] for c in e["contributors"] if c["role"] in ("reporter", "author")])
            paras = e["body"].split("\n")
            self.assertTrue(all(p and p == p.strip() for p in paras))
            self.assertNotIn("，", e["body"])  # NFKC'd
            self.assertNotIn("　", e["body"])
            if e["subtitle"]:
                self.assertFalse(e["subtitle"].startswith("——"))
            self.assertIn(a["host"], (MAIN, MIRROR))
        with_time = sum("T" in a["expected"]["published_at"] for a in self.arts)
        self.assertTrue(50 < with_time < len(self.arts) - 50)
        self.assertTrue(any(a["expected"]["subtitle"] for a in self.arts))
        roles = {c["role"] for a in self.arts for c in a["expected"]["contributors"]}
        self.assertTrue({"reporter", "correspondent", "intern", "photographer", "editor", "reviewer", "author"} <= roles)

    def test_seed_article_record(self):
        seed = next(a for a in self.arts if a["url"].endswith("/szdt/202105/t20210526_1234.html"))
        e = seed["expected"]
        self.assertEqual(e["site"], "示范政协新闻网")
        self.assertEqual((e["title"], e["subtitle"], e["section"], e["published_at"], e["source"]),
                         ("互学互促共提升", "百色市全市政协主席工作经验交流会侧记", "时政动态", "2021-05-26", None))
        if SEED_EXPECTED.exists():
            ref = json.loads(SEED_EXPECTED.read_text(encoding="utf-8"))
            for k in ("section", "title", "subtitle", "published_at", "source", "reporters", "contributors", "body"):
                self.assertEqual(e[k], ref[k], k)
        html = self.text(seed["url"])
        self.assertIn("本报记者 黄富强　通讯员 农喜养", html)
        self.assertIn("2021-05-26 | 来源：<", html)

    def test_multipage_articles(self):
        multi = [a for a in self.arts if len(a["pages"]) > 1]
        self.assertGreaterEqual(len(multi), 4)
        self.assertTrue(any(len(a["pages"]) == 3 for a in multi))
        for a in multi:
            cs = "gbk" if a["expected"]["charset"] == "gb18030" else "utf-8"
            self.assertTrue(a["pages"][1].endswith("_2.html"))
            first = self.text(a["pages"][0], cs)
            self.assertIn("下一页", first)
            self.assertIn(a["pages"][1].rsplit("/", 1)[1], first)
            last = self.text(a["pages"][-1], cs)
            self.assertIn("上一页", last)

    def test_duplicates_and_reprint(self):
        dups = {d["url"]: d for d in self.m["duplicates"]}
        self.assertEqual(len(dups), 2)
        self.assertEqual({d["canonical_link"] for d in dups.values()}, {True, False})
        for d in dups.values():
            html = self.text(d["url"])
            canon = re.search(r'<link rel="canonical" href="([^"]+)"', html)
            if d["canonical_link"]:
                self.assertEqual(canon.group(1), d["canonical"])
            else:
                self.assertIsNone(canon)
            self.assertEqual(html.count("<h1"), self.text(d["canonical"]).count("<h1"))
        rep = self.m["reprints"][0]
        by_url = {a["url"]: a for a in self.arts}
        self.assertEqual(by_url[rep["url"]]["expected"]["body"], by_url[rep["duplicate_of"]]["expected"]["body"])
        self.assertEqual(by_url[rep["url"]]["expected"]["source"], "广西政协报")
        self.assertTrue(rep["url"].startswith(f"http://{MIRROR}/"))
        html = self.text(rep["url"])
        self.assertIn("来源：广西政协报", html)
        self.assertIn("政协资讯转载网", html)

    def test_conditional_requests(self):
        url = self.arts[10]["url"]
        s1, h1, b1 = self.get(url)
        s2, h2, b2 = self.get(url)
        self.assertEqual((s1, s2), (200, 200))
        self.assertEqual(h1["etag"], h2["etag"])
        self.assertEqual(h1["last-modified"], h2["last-modified"])
        s, h, b = self.get(url, headers={"If-None-Match": h1["etag"]})
        self.assertEqual((s, b), (304, b""))
        self.assertEqual(h["etag"], h1["etag"])
        self.assertEqual(self.get(url, headers={"If-None-Match": '"other"'})[0], 200)
        self.assertEqual(self.get(url, headers={"If-Modified-Since": h1["last-modified"]})[0], 304)
        self.assertEqual(self.get(url, headers={"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"})[0], 200)
        # the gzip variant has its own tag; either tag revalidates
        s, hg, _ = self.get(url, headers={"Accept-Encoding": "gzip"})
        self.assertNotEqual(hg["etag"], h1["etag"])
        self.assertEqual(self.get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": hg["etag"]})[0], 304)

    def test_gzip(self):
        url = self.m["lists"]["wyfc"]["pages"][0]
        _, h0, plain = self.get(url)
        s, h, body = self.get(url, headers={"Accept-Encoding": "gzip, deflate"})
        self.assertEqual(s, 200)
        self.assertEqual(h["content-encoding"], "gzip")
        self.assertNotIn("content-encoding", h0)
        self.assertEqual(gzip.decompress(body), plain)
        self.assertLess(len(body), len(plain))
        self.assertNotIn("content-encoding", self.get(url, headers={"Accept-Encoding": "gzip;q=0"})[1])

    def test_virtual_hosts(self):
        port = self.p.port
        mirror_home = self.text("/", host=MIRROR)
        self.assertIn("政协资讯转载网", mirror_home)
        self.assertIn(f'href="http://{MAIN}/"', self.text("/", host=MIRROR))
        self.assertIn(f'href="http://{MAIN}:{port}/"', self.text("/", host=f"{MIRROR}:{port}"))
        # 127.0.0.1:PORT is the main host; absolute links follow the address the client used
        html = self.text(self.m["lists"]["xsyz"]["pages"][0].replace(f"http://{MAIN}", ""), host=f"127.0.0.1:{port}")
        self.assertIn(f'href="http://127.0.0.1:{port}/xsyz/show-12-', html)
        html = self.text("/index.php?m=content&c=index&a=lists&catid=12", host=MAIN)
        self.assertIn(f'href="http://{MAIN}/xsyz/show-12-', html)
        # articles of one host are not served on the other
        self.assertEqual(self.get(self.arts[0]["url"].replace(f"http://{MAIN}", ""), host=MIRROR)[0], 404)
        # the served manifest speaks the client's origin
        m = json.loads(self.get("/__manifest.json", host=f"127.0.0.1:{port}")[2])
        self.assertTrue(m["articles"][0]["url"].startswith(f"http://127.0.0.1:{port}/"))
        self.assertEqual(self.get("/no/such/page.html")[0], 404)

    def test_robots_sitemap_rss(self):
        status, h, body = self.get("/robots.txt")
        self.assertEqual(status, 200)
        self.assertTrue(h["content-type"].startswith("text/plain"))
        robots = body.decode()
        for line in ("Disallow: /admin/", "Disallow: /search/", "Crawl-delay: 1", "Crawl-delay: 0.1",
                     "User-agent: newsharvest", f"Sitemap: http://{MAIN}/sitemap.xml"):
            self.assertIn(line, robots)
        self.assertEqual(self.get("/admin/login.php")[0], 200)  # a crawler ignoring robots.txt gets it
        self.assertEqual(self.get("/search/?q=%E6%94%BF%E5%8D%8F")[0], 200)
        ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
        locs = {e.text for e in ET.fromstring(self.get("/sitemap.xml")[2]).findall("s:url/s:loc", ns)}
        main_arts = {a["url"] for a in self.arts if a["host"] == MAIN}
        self.assertEqual(main_arts - locs, set())
        mlocs = {e.text for e in ET.fromstring(self.get("/sitemap.xml", host=MIRROR)[2]).findall("s:url/s:loc", ns)}
        self.assertEqual({a["url"] for a in self.arts if a["host"] == MIRROR}, mlocs)
        status, h, body = self.get("/rss.xml")
        self.assertTrue(h["content-type"].startswith("application/rss+xml"))
        items = ET.fromstring(body).findall("channel/item")
        self.assertEqual(len(items), 40)
        self.assertEqual({i.findtext("link") for i in items} - main_arts, set())

    # -- faults -------------------------------------------------------------------
    def test_fault_statuses(self):
        for code in (500, 503, 404):
            self.assertEqual(self.get(f"/__fault/{code}", fresh=True)[0], code)
        s, h, _ = self.get("/__fault/429")
        self.assertEqual((s, h["retry-after"]), (429, "1"))
        self.assertEqual(self.p.manifest()["fault_links"], [])

    def test_fault_redirects(self):
        path, hops = "/__fault/redirect/3", 0
        while True:
            s, h, _ = self.get(path)
            if s not in (301, 302, 307):
                break
            hops += 1
            path = h["location"]
        self.assertEqual((s, hops), (200, 3))
        self.assertEqual(path, "/szdt/202105/t20210526_1234.html")
        s1, h1, _ = self.get("/__fault/loop/a")
        s2, h2, _ = self.get(h1["location"])
        self.assertEqual((s1, s2, h2["location"]), (302, 302, "/__fault/loop/a"))

    def test_fault_slow_and_stall(self):
        t = time.time()
        s, h, body = self.get("/__fault/slow?chunks=4&delay=150", fresh=True)
        self.assertEqual(s, 200)
        self.assertEqual(len(body), int(h["content-length"]))
        self.assertGreaterEqual(time.time() - t, 0.5)
        sock = self.p.raw("/__fault/stall?seconds=1.5", timeout=0.6)
        try:
            head, rest = read_headers(sock)
            self.assertIn(b"200 OK", head)
            self.assertEqual(rest, b"")
            with self.assertRaises(socket.timeout):
                sock.recv(100)
        finally:
            sock.close()

    def test_fault_reset_and_truncated(self):
        sock = self.p.raw("/__fault/reset")
        try:
            try:
                data = sock.recv(100)
            except ConnectionResetError:
                data = b""
            self.assertEqual(data, b"")
        finally:
            sock.close()
        sock = self.p.raw("/__fault/truncated")
        try:
            head, rest = read_headers(sock)
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                rest += chunk
            length = int(re.search(rb"Content-Length: (\d+)", head).group(1))
            self.assertEqual(len(rest), 2000)
            self.assertGreater(length, len(rest))
        finally:
            sock.close()

    def test_fault_oversized_and_charset(self):
        sock = self.p.raw("/__fault/oversized")
        try:
            head, rest = read_headers(sock)
            self.assertIn(b"Content-Length: 20971520", head)
            got = len(rest)
            while got < 1 << 20:
                got += len(sock.recv(65536))
        finally:
            sock.close()
        s, h, body = self.get("/__fault/oversized?mb=1&chunked=1", fresh=True)
        self.assertEqual((s, len(body), h.get("transfer-encoding")), (200, 1 << 20, "chunked"))
        s, h, body = self.get("/__fault/wrong-charset")
        self.assertEqual(h["content-type"], "text/html; charset=utf-8")
        with self.assertRaises(UnicodeDecodeError):
            body.decode("utf-8")
        self.assertIn("委员风采", body.decode("gbk"))

    def test_fault_flaky(self):
        path = "/__fault/flaky?key=t1&fails=2&to=%2Fszdt%2F"
        self.assertEqual([self.get(path)[0] for _ in range(3)], [503, 503, 301])

    # -- log and connections ------------------------------------------------------------
    def test_head_request(self):
        s, h, body = self.get("/szdt/index.html", method="HEAD")
        self.assertEqual((s, body), (200, b""))
        self.assertGreater(int(h["content-length"]), 1000)

    def test_concurrent_connections_are_served_in_parallel(self):
        import threading
        results = []

        def fetch(i):
            c = http.client.HTTPConnection("127.0.0.1", self.p.port, timeout=10)
            c.request("GET", f"/__fault/slow?chunks=3&delay=200&par={i}", headers={"Host": MAIN})
            results.append(len(c.getresponse().read()))
            c.close()

        threads = [threading.Thread(target=fetch, args=(i,)) for i in range(4)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        # Parallelism is read from the server's log (every request started before any ended),
        # not from the wall clock.
        self.assertEqual(len(results), 4)
        recs = [r for r in self.p.log_lines() if "par=" in r["path"]]
        self.assertEqual(len({r["conn"] for r in recs}), 4)
        latest_start = max(r["start"] for r in recs)
        self.assertTrue(all(r["time"] > latest_start for r in recs))  # all four were open at once


    def test_keep_alive_and_request_log(self):
        c = http.client.HTTPConnection("127.0.0.1", self.p.port, timeout=5)
        for path in ("/robots.txt?log=1", "/robots.txt?log=2"):
            c.request("GET", path, headers={"Host": MAIN, "User-Agent": "newsharvest-test/1",
                                            "If-None-Match": '"abc"'})
            r = c.getresponse()
            r.read()
            self.assertFalse(r.will_close)
        c.close()
        c2 = http.client.HTTPConnection("127.0.0.1", self.p.port, timeout=5)
        c2.request("GET", "/robots.txt?log=3", headers={"Host": MAIN})
        c2.getresponse().read()
        c2.close()
        recs = {r["path"]: r for r in self.p.log_lines() if r["path"].startswith("/robots.txt?log=")}
        self.assertEqual(len(recs), 3)
        r1, r2, r3 = recs["/robots.txt?log=1"], recs["/robots.txt?log=2"], recs["/robots.txt?log=3"]
        self.assertEqual(r1["conn"], r2["conn"])
        self.assertEqual(r1["peer_port"], r2["peer_port"])
        self.assertNotEqual(r1["conn"], r3["conn"])
        for k in ("time", "start", "host", "method", "status", "bytes", "user_agent", "if_none_match",
                  "if_modified_since", "duration_ms"):
            self.assertIn(k, r1)
        self.assertEqual((r1["user_agent"], r1["if_none_match"], r1["status"], r1["host"]),
                         ("newsharvest-test/1", '"abc"', 200, MAIN))
        self.assertRegex(r1["time"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
        self.assertGreater(r1["bytes"], 100)


class PortalGenerationTest(unittest.TestCase):
    def test_same_seed_same_site_other_seed_other_texts(self):
        with tempfile.TemporaryDirectory() as d:
            def gen(name, seed):
                out = subprocess.run([sys.executable, str(SERVER), "--generate-only", "--root", os.path.join(d, name),
                                      "--gen-seed", str(seed), "--per-section", "20"],
                                     capture_output=True, text=True, timeout=30, check=True).stdout
                self.assertIn("ARTICLES", out)
                return Path(d, name, "manifest.json").read_text(encoding="utf-8")
            a, b, c = gen("a", 7), gen("b", 7), gen("c", 8)
            self.assertEqual(a, b)
            self.assertNotEqual(a, c)
            self.assertIn('"url": "http://demo.portal.test/szdt/202105/t20210526_1234.html"', a)
            self.assertTrue(Path(d, "a", MAIN, "szdt", "202105", "t20210526_1234.html").exists())


class PortalMutationTest(unittest.TestCase):
    """Admin controls: publish and the template switch (own server)."""

    @classmethod
    def setUpClass(cls):
        cls.p = Portal("--per-section", "30")

    @classmethod
    def tearDownClass(cls):
        cls.p.stop()

    def test_publish_then_template(self):
        p = self.p
        before = p.manifest()
        lists = before["lists"]
        first_pages = {slug: lst["pages"][0] for slug, lst in lists.items() if slug != "epaper"}
        tags = {slug: p.request(u)[1]["etag"] for slug, u in first_pages.items()}
        old = before["articles"][-5]  # an old article, not next to the new ones
        old_tag = p.request(old["url"])[1]["etag"]

        s, _, body = p.request("/__admin/publish?n=7", method="POST")
        self.assertEqual(s, 200)
        published = json.loads(body)["published"]
        self.assertEqual(len(published), 7)
        after = p.manifest()
        self.assertEqual(after["article_count"], before["article_count"] + 7)
        new = [a for a in after["articles"] if a["published_seq"]]
        self.assertEqual(sorted(a["url"] for a in new), sorted(published))
        for a in new:
            self.assertEqual(p.request(a["url"])[0], 200)
            cs = "gbk" if a["expected"]["charset"] == "gb18030" else "utf-8"
            first = p.request(first_pages[a["section_slug"]])[2].decode(cs)
            self.assertIn(urllib.parse.urlsplit(a["url"]).path.rsplit("/", 1)[1], first)
        for slug, u in first_pages.items():
            s, h, _ = p.request(u, headers={"If-None-Match": tags[slug]})
            self.assertEqual(s, 200, slug)  # changed list page, new ETag
            self.assertNotEqual(h["etag"], tags[slug])
        self.assertEqual(p.request(old["url"], headers={"If-None-Match": old_tag})[0], 304)
        self.assertIn(new[0]["url"], {e.text for e in ET.fromstring(p.request("/sitemap.xml")[2]).iter()
                                      if e.tag.endswith("loc")})

        trs = next(a for a in after["articles"] if a["family"] == "trs")
        self.assertIn("TRS_Editor", p.request(trs["url"])[2].decode())
        words = re.search(r"[\u4e00-\u9fff]{6,}", trs["expected"]["body"]).group(0)
        self.assertIn(words, p.request(trs["url"])[2].decode())
        s, _, body = p.request("/__admin/template?family=v2", method="POST")
        self.assertEqual((s, json.loads(body)["template"]), (200, "v2"))
        html = p.request(trs["url"])[2].decode()
        self.assertNotIn("TRS_Editor", html)
        self.assertIn('class="v2-text"', html)
        self.assertEqual(p.request(old["url"], headers={"If-None-Match": old_tag})[0], 200)
        self.assertEqual(p.manifest()["articles"][0]["expected"], after["articles"][0]["expected"])
        s, _, body = p.request("/__admin/template?family=app", method="POST")
        self.assertEqual((s, json.loads(body)["template"]), (200, "app"))
        html = p.request(trs["url"])[2].decode()
        self.assertIn('<div id="app" data-article=', html)
        self.assertIn(f"<title>{trs['expected']['title']}-", html)
        words = re.search(r"[\u4e00-\u9fff]{6,}", trs["expected"]["body"]).group(0)
        self.assertNotIn(words, html)
        self.assertEqual(p.request("/__admin/template?family=v3", method="POST")[0], 400)
        self.assertEqual(p.request("/__admin/publish?n=1")[0], 405)  # GET is refused
        self.assertEqual(p.request("/__admin/template?family=v1", method="POST")[0], 200)
        self.assertIn("TRS_Editor", p.request(trs["url"])[2].decode())


class PortalFaultLinksTest(unittest.TestCase):
    """--faults puts fault routes on the 时政动态 first list page."""

    def test_fault_links_on_list_page(self):
        p = Portal("--faults", "--per-section", "20")
        try:
            m = p.manifest()
            self.assertTrue(m["faults_enabled"])
            self.assertGreaterEqual(len(m["fault_links"]), 5)
            html = p.request(m["lists"]["szdt"]["pages"][0])[2].decode()
            for f in m["fault_links"]:
                self.assertIn(f'href="{f["path"].replace("&", "&amp;")}"', html)
            self.assertEqual(p.request("/__fault/503")[0], 503)
        finally:
            p.stop()


if __name__ == "__main__":
    unittest.main()
