#!/usr/bin/env python3
"""Generate a static news site for the crawl benchmark (scripts/bench/crawl.sh).

usage: gen_site.py DIR [--articles 1200] [--page-kb 120] [--per-list 20]

Writes DIR/index.html, DIR/list/N.html (20 article links each, "next" link to N+1) and
DIR/a/N.html. Article pages are "real-sized": the article (2-4 KB of generated Chinese prose)
inside the chrome a portal sends with every page — inline CSS and scripts, a navigation tree,
related and most-read lists, a footer — padded to about --page-kb KiB, like the mean 126 KB of
the real article pages measured in issue 14. Every text is generated here (no third-party page).
"""
import argparse, os, random

WORDS = ("政协 委员 协商 议政 调研 建议 提案 民生 发展 乡村 振兴 生态 保护 教育 医疗 "
         "养老 就业 创新 产业 企业 服务 基层 治理 社区 文化 旅游 交通 农业 科技 人才").split()


def sentence(r):
    n = r.randint(12, 24)
    return "".join(r.choice(WORDS) for _ in range(n // 2)) + "，" + \
        "".join(r.choice(WORDS) for _ in range(n // 2)) + "。"


def chrome_script(r, kb):
    # Minified-looking analytics/config code, as portals inline it.
    parts, size = [], 0
    while size < kb * 1024:
        s = "var _c%d={id:%d,t:'%s',u:[%s]};function f%d(a){return a*%d+_c%d.id}\n" % (
            r.randint(0, 10**6), r.randint(0, 10**9), r.choice(WORDS),
            ",".join(str(r.randint(0, 999)) for _ in range(12)), r.randint(0, 10**6),
            r.randint(2, 99), r.randint(0, 10**6))
        parts.append(s)
        size += len(s.encode())
    return "".join(parts)


def nav(r, n):
    return "\n".join('<li><a href="/list/%d.html">%s%s</a></li>' % (r.randint(0, 50), r.choice(WORDS), r.choice(WORDS))
                     for _ in range(n))


def article_page(r, i, total, page_kb):
    body = "\n".join("<p>　　%s</p>" % "".join(sentence(r) for _ in range(r.randint(3, 6)))
                     for _ in range(r.randint(6, 12)))
    related = "\n".join('<li><a href="/a/%d.html">%s%s%s</a></li>' % (r.randint(0, total - 1), r.choice(WORDS), r.choice(WORDS), r.choice(WORDS))
                        for _ in range(10))
    head = ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>%s%s_新闻_基准网</title>'
            '<meta name="PubDate" content="2024-%02d-%02d 09:%02d"><style>%s</style></head><body>' % (
                r.choice(WORDS), r.choice(WORDS), 1 + i % 12, 1 + i % 28, i % 60,
                ".c{color:#333}" * 200))
    page = (head + '<div class="top"><ul class="nav">%s</ul></div>' % nav(r, 120) +
            '<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/list/0.html">新闻</a> &gt; 正文</div>'
            '<div class="article"><h1>%s%s%s</h1><div class="info">2024-%02d-%02d 来源：基准网 作者：张明</div>'
            '<div class="content">%s</div></div><div class="related"><h3>相关阅读</h3><ul>%s</ul></div>' % (
                r.choice(WORDS), r.choice(WORDS), r.choice(WORDS), 1 + i % 12, 1 + i % 28, body, related))
    # The rest of the size is what portals wrap around an article: about two thirds markup
    # (sidebars of nested blocks, two links in eight items: ~2,400 elements and ~300 links a
    # page, like the portal pages measured in issue 14), one third script.
    pad = page_kb * 1024 - len(page.encode()) - 200
    side, size = [], 0
    while size < pad * 2 // 3:
        block = ('<div class="side-box"><div class="hd"><span class="t">%s%s</span></div>'
                 '<div class="bd"><ul>%s</ul></div></div>' % (
                     r.choice(WORDS), r.choice(WORDS),
                     "".join(('<li class="item"><span class="d">%02d-%02d</span><a href="/a/%d.html" '
                              'title="%s">%s%s%s</a></li>' if k < 2 else
                              '<li class="item"><span class="d">%02d-%02d</span><span class="n" '
                              'data-id="%d" title="%s">%s%s%s</span></li>') % (
                                 r.randint(1, 12), r.randint(1, 28), r.randint(0, total - 1),
                                 r.choice(WORDS), r.choice(WORDS), r.choice(WORDS), r.choice(WORDS))
                             for k in range(8))))
        side.append(block)
        size += len(block.encode())
    rest = pad - size
    script = "<script>%s</script>" % chrome_script(r, rest // 1024) if rest > 1024 else ""
    return (page + '<div class="sidebar">%s</div>' % "".join(side) + script +
            '<div class="footer">版权所有 基准网</div></body></html>\n')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--articles", type=int, default=1200)
    ap.add_argument("--page-kb", type=int, default=120)
    ap.add_argument("--per-list", type=int, default=20)
    a = ap.parse_args()
    r = random.Random(20261207)
    os.makedirs(os.path.join(a.dir, "a"), exist_ok=True)
    os.makedirs(os.path.join(a.dir, "list"), exist_ok=True)
    lists = (a.articles + a.per_list - 1) // a.per_list
    for n in range(lists):
        links = "\n".join('<li><a href="/a/%d.html">%s%s</a></li>' % (k, r.choice(WORDS), r.choice(WORDS))
                          for k in range(n * a.per_list, min(a.articles, (n + 1) * a.per_list)))
        nxt = '<a href="/list/%d.html">下一页</a>' % (n + 1) if n + 1 < lists else ""
        with open(os.path.join(a.dir, "list", "%d.html" % n), "w", encoding="utf-8") as f:
            f.write('<!DOCTYPE html><html><head><meta charset="utf-8"><title>新闻_基准网</title></head>'
                    '<body><ul class="list">%s</ul>%s</body></html>\n' % (links, nxt))
    for i in range(a.articles):
        with open(os.path.join(a.dir, "a", "%d.html" % i), "w", encoding="utf-8") as f:
            f.write(article_page(r, i, a.articles, a.page_kb))
    with open(os.path.join(a.dir, "index.html"), "w", encoding="utf-8") as f:
        f.write('<!DOCTYPE html><html><head><meta charset="utf-8"><title>基准网</title></head><body>'
                '<a href="/list/0.html">新闻</a></body></html>\n')
    with open(os.path.join(a.dir, "robots.txt"), "w") as f:
        f.write("User-agent: *\nDisallow:\n")


if __name__ == "__main__":
    main()
