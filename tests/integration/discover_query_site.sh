#!/bin/sh
# `newsharvest discover` on a second CMS style, a site this test writes: query-string articles
# (/show.php?id=N) and lists (/list.php?cat=N, then &page=N). The draft passes check-config, its
# patterns classify the site's article and list URLs, and a crawl with it, unedited, stores
# every article. Usage: discover_query_site.sh NEWSHARVEST_BINARY [PYTHON]
set -eu
bin=$1
python=${2:-python3}
tmp=$(mktemp -d)
server_pid=
cleanup() {
  [ -z "$server_pid" ] || { kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; }
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "discover_query_site: $*" >&2; exit 1; }

# The site: 2 sections of 3 list pages, 4 articles a page (24 articles, ids 101..124), pages
# generated per request from the path and query; anything else is a 404.
cat >"$tmp/site.py" <<'PY'
import http.server, re, sys, urllib.parse

SITE = "青山市政协网"
SECTIONS = {1: "要闻动态", 2: "通知公告"}
PAGES, PER_PAGE = 3, 4

def article_ids(cat, page):
    first = 101 + ((cat - 1) * PAGES + (page - 1)) * PER_PAGE
    return range(first, first + PER_PAGE)

def chrome(title, body):
    nav = "".join(f'<li><a href="/list.php?cat={c}">{n}</a></li>' for c, n in SECTIONS.items())
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title} - {SITE}</title>'
            f'<meta property="og:site_name" content="{SITE}"></head><body>'
            f'<div class="header"><a href="/">{SITE}</a><ul class="nav"><li><a href="/">首页</a></li>{nav}</ul></div>'
            f'{body}<div class="footer">版权所有 {SITE} 备案号 12345</div></body></html>')

def list_page(cat, page):
    items = "".join(f'<li><a href="/show.php?id={i}">{SECTIONS[cat]}第{i}号稿件标题</a><span>2024-03-{i % 28 + 1:02d}</span></li>'
                    for i in article_ids(cat, page))
    pager = "".join(f'<a href="/list.php?cat={cat}&amp;page={p}">{p}</a> ' for p in range(1, PAGES + 1))
    if page < PAGES:
        pager += f'<a href="/list.php?cat={cat}&amp;page={page + 1}">下一页</a>'
    return chrome(SECTIONS[cat], f'<div class="list"><h2>{SECTIONS[cat]}</h2><ul>{items}</ul>'
                                 f'<div class="pages">{pager}</div></div>')

def article(i):
    cat = 1 if i < 101 + PAGES * PER_PAGE else 2
    paras = "".join(
        f"<p>　　{SECTIONS[cat]}第{i}号稿件第{k}段：市政协围绕城乡融合发展组织委员开展专题调研，"
        "深入社区、企业和田间地头，听取群众意见建议，形成调研报告，提出完善基础设施、"
        "发展特色产业、加强人才培养等具体建议，为市委市政府科学决策提供参考。</p>" for k in range(1, 6))
    return chrome(f"{SECTIONS[cat]}第{i}号稿件标题",
                  f'<div class="position">当前位置：<a href="/">首页</a> &gt; '
                  f'<a href="/list.php?cat={cat}">{SECTIONS[cat]}</a> &gt; 正文</div>'
                  f'<div class="article"><h1>{SECTIONS[cat]}第{i}号稿件标题</h1>'
                  f'<div class="info">发布时间：2024-03-{i % 28 + 1:02d}　来源：{SITE}</div>'
                  f'<div class="content">{paras}</div></div>')

def home():
    latest = "".join(f'<li><a href="/show.php?id={i}">{SECTIONS[1]}第{i}号稿件标题</a></li>'
                     for i in article_ids(1, 1))
    return chrome("首页", f'<div class="latest"><h2>最新动态</h2><ul>{latest}</ul></div>')

class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        u = urllib.parse.urlsplit(self.path)
        q = dict(urllib.parse.parse_qsl(u.query))
        body, ctype = None, "text/html; charset=utf-8"
        try:
            if u.path == "/" and not q:
                body = home()
            elif u.path == "/robots.txt":
                body, ctype = "User-agent: *\nDisallow: /admin/\n", "text/plain"
            elif u.path == "/list.php" and set(q) <= {"cat", "page"} and int(q["cat"]) in SECTIONS \
                    and 1 <= int(q.get("page", "1")) <= PAGES:
                body = list_page(int(q["cat"]), int(q.get("page", "1")))
            elif u.path == "/show.php" and set(q) == {"id"} and 101 <= int(q["id"]) < 101 + 2 * PAGES * PER_PAGE:
                body = article(int(q["id"]))
        except (KeyError, ValueError):
            pass
        data = (body or "not found").encode()
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
    def log_message(self, *a):
        pass

server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print("PORT", server.server_address[1], flush=True)
server.serve_forever()
PY
"$python" "$tmp/site.py" >"$tmp/server.out" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
  grep -q '^PORT' "$tmp/server.out" 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$tmp/server.out" >&2; fail "the site did not start"; }
  sleep 0.1
done
port=$(sed -n 's/^PORT \([0-9]*\)$/\1/p' "$tmp/server.out")
[ -n "$port" ] || fail "no PORT line"
net="--connect-to ::127.0.0.1:$port --allow-private"

# shellcheck disable=SC2086
"$bin" discover http://cms2.test/ $net --delay-ms 0 --max-pages 12 -o "$tmp/cms2.toml" 2>"$tmp/err" ||
  { cat "$tmp/err" >&2; fail "discover failed"; }
"$bin" check-config "$tmp/cms2.toml" >/dev/null 2>"$tmp/err" ||
  { cat "$tmp/cms2.toml" "$tmp/err" >&2; fail "check-config rejects the draft"; }
grep -qF 'url = "http://cms2.test/list.php?cat=1"' "$tmp/cms2.toml" &&
  grep -qF 'url = "http://cms2.test/list.php?cat=2"' "$tmp/cms2.toml" ||
  { cat "$tmp/cms2.toml" >&2; fail "the draft misses the sections"; }
grep -qF "'^https?://[^/]+/show\.php\?id=\d+\$'" "$tmp/cms2.toml" ||
  { cat "$tmp/cms2.toml" >&2; fail "the draft misses the article pattern"; }
grep -qF "'^https?://[^/]+/list\.php\?cat=\d+&page=\d+\$'" "$tmp/cms2.toml" ||
  { cat "$tmp/cms2.toml" >&2; fail "the draft misses the pager's pattern"; }

# shellcheck disable=SC2086
"$bin" crawl --config "$tmp/cms2.toml" --db "$tmp/cms2.db" $net --quiet -s politeness.delay_ms=0 \
  >"$tmp/out" 2>&1 || { cat "$tmp/cms2.toml" "$tmp/out" >&2; fail "the crawl failed"; }
n=$(sqlite3 "$tmp/cms2.db" "SELECT count(*) FROM articles WHERE url LIKE 'http://cms2.test/show.php?id=%'")
[ "$n" -eq 24 ] || { cat "$tmp/cms2.toml" >&2; fail "stored $n of the 24 articles"; }
t=$(sqlite3 "$tmp/cms2.db" "SELECT title FROM articles WHERE url = 'http://cms2.test/show.php?id=117'")
[ "$t" = "通知公告第117号稿件标题" ] || fail "article 117's title: $t"
echo "discover_query_site: draft checked, 24 articles crawled"
