"""HTML of the demo portal: chrome, list pages and five article template families.

Families (as seen on real Chinese portals, written from scratch here):
  trs      TRS WCM government style: <meta name="ArticleTitle|PubDate|ContentSource|ColumnName">,
           <div class="TRS_Editor">, /szdt/202105/t20210526_1234.html, pages _2 _3
  hanweb   Hanweb (大汉) style: <div id="zoom">, /art/2021/5/26/art_15_345.html
  phpcms   PHPCMS: <div class="content">, /xsyz/show-12-345.html, og:site_name, rel=canonical
  dede     DedeCMS, served as GBK: /a/20210526/123.html, pages 123_2.html, <br> paragraphs sometimes
  founder  Founder (方正) e-paper: /html/2021-05/26/content_123.htm, <founder-content>
  mirror   the reprint host's simple CMS
`v2` is a site redesign (POST /__admin/template?family=v2): other class names, no <h1>,
no government meta tags, a different breadcrumb and info line.
`app` is a client-rendered redesign (family=app): the article page is an application shell whose
date, credits and text a script would load; an HTML extractor gets the headline from <title> and
no text (what the crawler's drift alarm must notice).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import gzip
import html

from . import model as m

def esc(s: str) -> str:
    return html.escape(s, quote=True)


def issue_path(d: dt.date) -> str:
    return f"/html/{d:%Y-%m}/{d:%d}/node_2.htm"


# --- chrome ------------------------------------------------------------------

def head(title: str, charset: str, metas: str = "") -> str:
    label = "gb2312" if charset == "gbk" else "utf-8"
    return (f'<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n'
            f'<meta http-equiv="Content-Type" content="text/html; charset={label}">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<title>{esc(title)}</title>\n{metas}'
            f'<link rel="stylesheet" href="/static/css/style.css">\n'
            f'<link rel="alternate" type="application/rss+xml" title="{m.SITE_NAME}" href="/rss.xml">\n'
            f'</head>\n')


def nav(site: m.Site, current: str | None = None) -> str:
    items = ['<li><a href="/">首页</a></li>']
    for s in m.SECTIONS:
        cls = ' class="on"' if s["slug"] == current else ""
        items.append(f'<li{cls}><a href="{esc(site.list_pages(s["slug"])[0])}">{s["name"]}</a></li>')
    return '<div class="nav"><ul>' + "".join(items) + "</ul></div>\n"


def header(site: m.Site, current: str | None = None) -> str:
    return ('<body>\n<div class="topbar"><div class="wrap"><span class="today">今天是：'
            '<script>document.write(new Date().toLocaleDateString());</script></span>'
            '<span class="contact">投稿热线：0000-1234567　投稿邮箱：tougao@demo.portal.test</span>'
            '<a href="/rss.xml">RSS订阅</a></div></div>\n'
            '<div class="header"><div class="wrap"><div class="logo"><a href="/">'
            f'<img src="/static/img/logo.png" alt="{m.SITE_NAME}"><span>{m.SITE_NAME}</span></a></div>'
            '<div class="slogan">示范政协报社主办的政协新闻综合网站</div>'
            '<form class="search" action="/search/" method="get"><input type="text" name="q" placeholder="请输入关键词">'
            '<button type="submit">站内搜索</button></form></div></div>\n' + nav(site, current))


def footer() -> str:
    return ('<div class="links"><h3>友情链接</h3><ul>'
            f'<li><a href="{m.MIRROR}/" target="_blank">{m.MIRROR_NAME}</a></li>'
            '<li><a href="/epaper/index.html">示范政协报数字报</a></li>'
            '<li><a href="/sitemap.xml">网站地图</a></li></ul></div>\n'
            '<div class="footer"><div class="wrap">'
            '<p>示范省政协办公厅主管　示范政协报社主办</p>'
            f'<p>{m.SITE_NAME}版权所有　未经书面授权禁止复制或建立镜像</p>'
            '<p>联系电话：0000-7654321　<a href="/admin/login.php">网站管理</a>　'
            '<a href="/search/?q=%E6%94%BF%E5%8D%8F">站内搜索</a></p>'
            '<p>示ICP备00000000号</p></div></div>\n</body>\n</html>\n')


def share_bar() -> str:
    return ('<div class="share"><span>分享到：</span><a href="javascript:void(0)" class="wx">微信</a>'
            '<a href="javascript:void(0)" class="wb">微博</a><a href="javascript:void(0)" class="qq">QQ空间</a>'
            '<span class="tools">【<a href="javascript:window.print()">打印</a>】'
            '【<a href="javascript:window.close()">关闭</a>】</span></div>\n')


def fmt_credits(credits: list[m.Credit], slash: bool = False) -> str:
    """Group consecutive credits with the same label: 本报记者 张三 李四　通讯员 王五; 文/张三　摄/李四."""
    parts: list[list] = []
    for c in credits:
        if parts and parts[-1][0] == c.label:
            parts[-1][1].append(c.name)
        else:
            parts.append([c.label, [c.name]])
    out = []
    for label, names in parts:
        if label in ("文", "摄"):
            out.append(f"{label}/" + " ".join(names))
        else:
            out.append(f"{label} " + " ".join(names))
    return "　".join(out)


def fmt_editors(credits: list[m.Credit]) -> str:
    return "（" + "　".join(f"{c.label}：{c.name}" for c in credits) + "）"


def paragraphs_html(site: m.Site, a: m.Article, paras: list[str], style: str, first_page: bool) -> str:
    out = []
    for i, p in enumerate(paras):
        t = esc(p)
        if style == "trs":
            out.append(f'<p style="text-indent: 2em;">{t}</p>')
            if i % 4 == 2:
                out.append("<p>&nbsp;</p>")
        elif style == "br":
            out.append(f"　　{t}<br />\n<br />")
        elif style == "founder":
            out.append(f"<P>　　{t}</P>")
        else:
            out.append(f"<p>　　{t}</p>")
        if a.images and first_page and i == 0:
            out.append(f'<p style="text-align: center;"><img src="/uploads/{a.date:%Y%m}/{a.id}.jpg" '
                       'alt="" border="0"></p>')
    return "\n".join(out)


def pager_html(a: m.Article, k: int, style: str) -> str:
    paths = a.page_paths()
    if len(paths) < 2:
        return ""
    name = lambda p: p.rsplit("/", 1)[1]  # noqa: E731  (links are relative, as the CMSs write them)
    if style == "dede":
        items = [f"<li><a href='{name(paths[k - 1])}'>上一页</a></li>" if k > 0 else "<li><a href='#'>上一页</a></li>"]
        for j, p in enumerate(paths):
            items.append(f'<li class="thisclass"><a href="#">{j + 1}</a></li>' if j == k
                         else f"<li><a href='{name(p)}'>{j + 1}</a></li>")
        items.append(f"<li><a href='{name(paths[k + 1])}'>下一页</a></li>" if k + 1 < len(paths) else "")
        return '<div class="dede_pages"><ul class="pagelist">' + "".join(items) + "</ul></div>\n"
    items = [f'<a href="{name(paths[k - 1])}">上一页</a>' if k > 0 else '<span class="disabled">上一页</span>']
    for j, p in enumerate(paths):
        items.append(f'<span class="current">{j + 1}</span>' if j == k else f'<a href="{name(p)}">{j + 1}</a>')
    items.append(f'<a href="{name(paths[k + 1])}">下一页</a>' if k + 1 < len(paths) else '<span class="disabled">下一页</span>')
    return '<div class="page" id="pagenav">' + " ".join(items) + "</div>\n"


def neighbours(site: m.Site, a: m.Article) -> tuple[m.Article | None, m.Article | None, list[m.Article]]:
    same = [x for x in site.articles if x.slug == a.slug and x.host == a.host]
    i = same.index(a)
    prev = same[i - 1] if i > 0 else None
    nxt = same[i + 1] if i + 1 < len(same) else None
    related = [x for x in same[max(0, i - 3):i + 4] if x is not a][:5]
    return prev, nxt, related


def prev_next_html(prev: m.Article | None, nxt: m.Article | None) -> str:
    p = f'<a href="{esc(prev.path)}">{esc(prev.title)}</a>' if prev else "没有了"
    n = f'<a href="{esc(nxt.path)}">{esc(nxt.title)}</a>' if nxt else "没有了"
    return f'<div class="prenext"><p>上一篇：{p}</p><p>下一篇：{n}</p></div>\n'


def related_html(related: list[m.Article]) -> str:
    li = "".join(f'<li><a href="{esc(r.path)}" title="{esc(r.title)}">{esc(r.title)}</a>'
                 f'<span>{r.date:%Y-%m-%d}</span></li>' for r in related)
    return f'<div class="related"><h3>相关阅读</h3><ul>{li}</ul></div>\n'


def crumb(a: m.Article, site: m.Site, label: str = "当前位置：") -> str:
    lst = site.list_pages(a.slug)[0] if a.slug in m.SECTION_BY_SLUG else "/news/index.html"
    return (f'<div class="position">{label}<a href="/">首页</a> &gt; '
            f'<a href="{esc(lst)}">{esc(a.section_name)}</a> &gt; 正文</div>\n')


def gov_metas(a: m.Article) -> str:
    return (f'<meta name="SiteName" content="{m.SITE_NAME}">\n<meta name="SiteDomain" content="{m.MAIN_HOST}">\n'
            f'<meta name="ColumnName" content="{esc(a.section_name)}">\n<meta name="ColumnType" content="{esc(a.section_name)}">\n'
            f'<meta name="ArticleTitle" content="{esc(a.title)}">\n<meta name="PubDate" content="{esc(a.date_text())}">\n'
            f'<meta name="ContentSource" content="{esc(a.source or "")}">\n'
            + (f'<meta name="Author" content="{esc(a.info_credits[0].name)}">\n' if a.info_credits else "")
            + f'<meta name="Keywords" content="政协,{esc(a.section_name)}">\n'
            f'<meta name="Description" content="{esc(a.pages[0][0][:60])}">\n')


def info_items(a: m.Article, date_label: str, source_label: str) -> list[str]:
    items = [f"{date_label}{a.date_text()}", f"{source_label}{a.source or ''}"]
    items += [f"{c.label}：{c.name}" for c in a.info_credits]
    return items


def body_block(site: m.Site, a: m.Article, k: int, container_open: str, container_close: str, pstyle: str) -> str:
    """Top byline, the paragraphs of page k, end byline (last page), editor line (last page)."""
    last = k == len(a.pages) - 1
    out = []
    if a.top_credits and k == 0:
        out.append(f'<div class="author">{esc(fmt_credits(a.top_credits))}</div>\n')
    out.append(container_open)
    if a.seed and k == 0:  # the mission page repeats headline and subtitle inside the text
        out.append(f'<p style="text-align: center;"><strong>{esc(a.title)}</strong></p>\n'
                   f'<p style="text-align: center;">——{esc(a.subtitle)}</p>\n<p>&nbsp;</p>\n<p>&nbsp;</p>\n')
    out.append(paragraphs_html(site, a, a.pages[k], pstyle, k == 0))
    if last and a.end_credits:
        out.append(f'\n<p>&nbsp;</p>\n<p style="text-align: right;">{esc(fmt_credits(a.end_credits))}</p>')
    out.append("\n" + container_close)
    if last and a.editor_credits:
        out.append(f'<div class="editor">{esc(fmt_editors(a.editor_credits))}</div>\n')
    return "".join(out)


# --- article families ------------------------------------------------------------

def article_trs(site, a, k):
    sub = f'<h2 class="subtitle">——{esc(a.subtitle)}</h2>\n' if a.subtitle and not a.seed else ""
    info = " | ".join(info_items(a, "", "来源："))
    if a.seed:
        info = f"{a.date_text()} | 来源："
    return (head(f"{a.title}_{m.SITE_NAME}", a.charset, gov_metas(a)) + header(site, a.slug)
            + '<div class="main wrap"><div class="left">' + crumb(a, site)
            + f'<div class="article"><h1 class="title">{esc(a.title)}</h1>\n{sub}'
            + f'<div class="info">{esc(info)}<span class="font">【字体：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>】</span></div>\n'
            + body_block(site, a, k, '<div class="TRS_Editor"><div class="Custom_UnionStyle">\n', "</div></div>\n", "trs")
            + pager_html(a, k, "trs") + share_bar())


def article_hanweb(site, a, k):
    sub = f'<p class="fbt">——{esc(a.subtitle)}</p>\n' if a.subtitle else ""
    info = "　".join(info_items(a, "发布日期：", "信息来源："))
    return (head(f"{a.title}_{m.SITE_NAME}", a.charset, gov_metas(a)) + header(site, a.slug)
            + '<div class="main wrap">' + crumb(a, site, "您现在的位置：")
            + f'<table class="art_table" width="100%"><tr><td><div class="title"><h1>{esc(a.title)}</h1>\n{sub}</div>'
            + f'<div class="xxgk_info">{esc(info)}　浏览次数：<span id="c">--</span></div>\n'
            + body_block(site, a, k, '<div id="zoom">\n', "</div>\n", "p")
            + "</td></tr></table>\n" + share_bar())


def article_phpcms(site, a, k, canonical=True):
    sub = f'<h3 class="subtitle">——{esc(a.subtitle)}</h3>\n' if a.subtitle else ""
    info = "　".join(info_items(a, "", "来源：")) + "　点击：<span id=\"hits\"></span>"
    metas = (f'<meta name="keywords" content="{esc(a.section_name)}">\n'
             f'<meta name="description" content="{esc(a.pages[0][0][:60])}">\n'
             f'<meta property="og:site_name" content="{m.SITE_NAME}">\n'
             f'<meta property="og:title" content="{esc(a.title)}">\n'
             f'<meta property="og:url" content="{a.url}">\n'
             + (f'<link rel="canonical" href="{a.url}">\n' if canonical else ""))
    return (head(f"{a.title} - {m.SITE_NAME}", a.charset, metas) + header(site, a.slug)
            + '<div class="main wrap"><div class="crumbs">' + crumb(a, site) + "</div>"
            + f'<div id="Article"><h1>{esc(a.title)}</h1>\n{sub}<div class="info">{info}</div>\n'
            + body_block(site, a, k, '<div class="content">\n', "</div>\n", "p")
            + share_bar() + "</div>\n")


def article_dede(site, a, k):
    sub = f'<div class="subtitle">——{esc(a.subtitle)}</div>\n' if a.subtitle else ""
    parts = [f"<small>时间:</small>{a.date_text()}", f"<small>来源:</small>{esc(a.source or '')}"]
    parts += [f"<small>{c.label}:</small>{esc(c.name)}" for c in a.info_credits]
    metas = (f'<meta name="keywords" content="{esc(a.section_name)},政协委员">\n'
             f'<meta name="description" content="{esc(a.pages[0][0][:60])}">\n')
    pstyle = "br" if a.id % 3 == 0 else "p"
    return (head(f"{a.title}_{a.section_name}_{m.SITE_NAME}", a.charset, metas) + header(site, a.slug)
            + '<div class="w960 center clear mt1"><div class="pleft">' + crumb(a, site)
            + f'<div class="viewbox"><div class="title"><h1>{esc(a.title)}</h1></div>\n{sub}'
            + f'<div class="info">{"　".join(parts)} <small>点击:</small><script src="/plus/count.php?aid={a.id}"></script></div>\n'
            + body_block(site, a, k, '<div class="content"><table width="100%"><tr><td>\n', "</td></tr></table></div>\n", pstyle)
            + pager_html(a, k, "dede") + share_bar() + "</div></div>\n")


def article_founder(site, a, k):
    sub = f"<h2>——{esc(a.subtitle)}</h2>\n" if a.subtitle else ""
    metas = f'<meta property="og:site_name" content="{m.SITE_NAME}">\n<meta name="SiteName" content="{m.SITE_NAME}">\n'
    info = " ".join(info_items(a, "", "")[:1]) + "　第02版：要闻"
    credits = " ".join(f"{c.label}：{c.name}" for c in a.info_credits)
    return (head(f"{a.title}_{m.SITE_NAME}", a.charset, metas) + header(site, a.slug)
            + '<div class="epaper wrap">' + crumb(a, site)
            + f'<div class="bmnav"><a href="node_2.htm">第02版：要闻</a> <a href="/epaper/index.html">往期回顾</a></div>'
            + f'<table><tr><td class="font01"><founder-title><h1>{esc(a.title)}</h1></founder-title>\n{sub}'
            + f'<div class="info">示范政协报　{esc(info)}{("　" + esc(credits)) if credits else ""}</div>\n'
            + body_block(site, a, k, '<div id="ozoom"><founder-content>\n<!--enpcontent-->', "<!--/enpcontent--></founder-content></div>\n", "founder")
            + "</td></tr></table>\n")


def article_mirror(site, a, k):
    metas = f'<meta property="og:site_name" content="{m.MIRROR_NAME}">\n'
    sub = f'<p class="subtitle">——{esc(a.subtitle)}</p>\n' if a.subtitle else ""
    info = "　".join(info_items(a, "发布时间：", "来源："))
    return (head(f"{a.title}_{m.MIRROR_NAME}", a.charset, metas)
            + f'<body>\n<div class="head"><a href="/">{m.MIRROR_NAME}</a></div>\n'
            + '<div class="nav"><a href="/">首页</a> <a href="/news/index.html">政协要闻</a></div>\n'
            + crumb(a, site) + f'<div class="art"><h1>{esc(a.title)}</h1>\n{sub}<div class="info">{esc(info)}</div>\n'
            + body_block(site, a, k, '<div class="article-content">\n', "</div>\n", "p") + "</div>\n"
            + f'<div class="foot">{m.MIRROR_NAME} 版权所有 转载稿件版权归原作者所有</div>\n</body>\n</html>\n')


def article_v2(site, a, k):
    """The redesign: what the extractor has never seen."""
    d = f"{a.date.year}年{a.date.month}月{a.date.day}日" + (" " + a.time if a.time else "")
    sub = f'<div class="v2-sub">{esc(a.subtitle)}</div>\n' if a.subtitle else ""
    meta = [f"<em>{d}</em>"] + ([f"<em>稿源：{esc(a.source)}</em>"] if a.source else [])
    meta += [f"<em>{c.label}：{esc(c.name)}</em>" for c in a.info_credits + a.top_credits]
    paras = "\n".join(f"<section>{esc(p)}</section>" for p in a.pages[k])
    last = k == len(a.pages) - 1
    tail = ""
    if last and a.end_credits:
        tail += f"\n<section class=\"r\">{esc(fmt_credits(a.end_credits))}</section>"
    lst = site.list_pages(a.slug)[0]
    return (head(f"{a.title}-{m.SITE_NAME}", a.charset) + header(site, a.slug)
            + f'<div class="v2-main"><div class="crumbs"><a href="/">网站首页</a> / <a href="{esc(lst)}">{esc(a.section_name)}</a></div>\n'
            + f'<div class="v2-title">{esc(a.title)}</div>\n{sub}<div class="v2-meta">{"".join(meta)}</div>\n'
            + f'<article class="v2-text">\n{paras}{tail}\n</article>\n'
            + (f'<div class="v2-foot">{esc(fmt_editors(a.editor_credits))}</div>\n' if last and a.editor_credits else "")
            + pager_html(a, k, "trs") + "</div>\n")


def article_app(site, a, k):
    """A client-rendered redesign: the shell of a single-page application. The text would come from
    /api/article/ID.json through the script (not served: a crawler that runs no JavaScript sees
    only this)."""
    return (head(f"{a.title}-{m.SITE_NAME}", a.charset) + header(site, a.slug)
            + f'<div id="app" data-article="{a.id}" data-page="{k + 1}"><noscript>请启用JavaScript以浏览本页面。</noscript></div>\n'
            + f'<script src="/static/js/app.js"></script>\n'
            + f'<script>window.App && App.mount("#app", "/api/article/{a.id}.json?page={k + 1}");</script>\n')


FAMILIES = {"trs": article_trs, "hanweb": article_hanweb, "phpcms": article_phpcms, "dede": article_dede,
            "founder": article_founder}


def article_page(site: m.Site, a: m.Article, k: int, **kw) -> str:
    if a.host == m.MIRROR:
        return article_mirror(site, a, k)
    if site.template == "v2":
        main = article_v2(site, a, k)
    elif site.template == "app":
        main = article_app(site, a, k)
    else:
        main = FAMILIES[a.family](site, a, k, **kw)
    prev, nxt, related = neighbours(site, a)
    return (main + prev_next_html(prev, nxt) + related_html(related)
            + "</div></div>\n" + footer())


# --- list pages ----------------------------------------------------------------------

def list_href(a: m.Article, style: str) -> str:
    if style in ("trs", "nextonly"):
        return "./" + a.path.split("/", 2)[2]  # TRS writes ./202105/t20210526_1234.html
    if style == "phpcms":
        return a.url
    return a.path


def pager_list(site: m.Site, slug: str, k: int, style: str) -> str:
    pages = site.list_pages(slug)
    n = len(pages)
    total = len(site.section_articles(slug))

    def rel(p: str) -> str:
        if style == "phpcms":
            return p.lstrip("/")
        if style == "hanweb":
            return p.rsplit("/", 1)[1]
        return p.rsplit("/", 1)[1]

    if style == "trs":
        nums = " ".join(f'<span class="current">{j + 1}</span>' if j == k else f'<a href="{rel(p)}">{j + 1}</a>'
                        for j, p in enumerate(pages))
        prev = f'<a href="{rel(pages[k - 1])}">上一页</a>' if k > 0 else "上一页"
        nxt = f'<a href="{rel(pages[k + 1])}">下一页</a>' if k + 1 < n else "下一页"
        return (f'<div class="page"><script>createPageHTML({n}, {k}, "index", "html");</script>\n'
                f'<a href="{rel(pages[0])}">首页</a> {prev} {nums} {nxt} <a href="{rel(pages[-1])}">尾页</a></div>\n')
    if style == "phpcms":
        items = [f'<a class="a1">{total}条</a>']
        items.append(f'<a href="{esc(rel(pages[k - 1]))}" class="a1">上一页</a>' if k > 0 else '<a class="a1">上一页</a>')
        items += [f"<span>{j + 1}</span>" if j == k else f'<a href="{esc(rel(p))}">{j + 1}</a>' for j, p in enumerate(pages)]
        items.append(f'<a href="{esc(rel(pages[k + 1]))}" class="a1">下一页</a>' if k + 1 < n else '<a class="a1">下一页</a>')
        return '<div id="pages" class="text-c">' + " ".join(items) + "</div>\n"
    if style == "dede":
        items = [f"<li><a href='{rel(pages[0])}'>首页</a></li>"]
        if k > 0:
            items.append(f"<li><a href='{rel(pages[k - 1])}'>上一页</a></li>")
        items += [f'<li class="thisclass">{j + 1}</li>' if j == k else f"<li><a href='{rel(p)}'>{j + 1}</a></li>"
                  for j, p in enumerate(pages)]
        if k + 1 < n:
            items.append(f"<li><a href='{rel(pages[k + 1])}'>下一页</a></li>")
        items.append(f"<li><a href='{rel(pages[-1])}'>末页</a></li>")
        items.append(f'<li><span class="pageinfo">共 <strong>{n}</strong>页<strong>{total}</strong>条</span></li>')
        return '<div class="dede_pages"><ul class="pagelist">' + "".join(items) + "</ul></div>\n"
    if style == "hanweb":
        s = f'<div class="pages">共{n}页　当前第{k + 1}页　'
        if k > 0:
            s += f'<a href="{esc(rel(pages[0]))}">首页</a> <a href="{esc(rel(pages[k - 1]))}">上一页</a> '
        if k + 1 < n:
            s += f'<a href="{esc(rel(pages[k + 1]))}">下一页</a> <a href="{esc(rel(pages[-1]))}">尾页</a>'
        return s + "</div>\n"
    # nextonly: no numbers, no last page; a crawler has to follow 下一页
    s = '<div class="pagination">'
    if k > 0:
        s += f'<a href="{rel(pages[k - 1])}">上一页</a> '
    if k + 1 < n:
        s += f'<a href="{rel(pages[k + 1])}">下一页</a>'
    return s + "</div>\n"


def list_page(site: m.Site, slug: str, k: int) -> str:
    sec = m.SECTION_BY_SLUG[slug]
    arts = site.section_articles(slug)[k * m.PAGE_SIZE:(k + 1) * m.PAGE_SIZE]
    style = sec["style"]
    items = [f'<li><span class="date">{a.date:%Y-%m-%d}</span><a href="{esc(list_href(a, style))}" '
             f'target="_blank" title="{esc(a.title)}">{esc(a.title)}</a></li>' for a in arts]
    if slug == "szdt" and k == 0:
        for i, f in enumerate(site.fault_links()):
            items.insert(2 + i, f'<li><span class="date">{site.clock:%Y-%m-%d}</span><a href="{esc(f["path"])}" '
                                f'target="_blank">【测试】故障链接{i + 1}：{esc(f["expect"])}</a></li>')
    title = sec["name"] + (f"_第{k + 1}页" if k else "") + "_" + m.SITE_NAME
    return (head(title, sec["charset"]) + header(site, slug)
            + f'<div class="main wrap"><div class="position">当前位置：<a href="/">首页</a> &gt; {sec["name"]}</div>\n'
            + f'<div class="list_box"><h2>{sec["name"]}</h2><ul class="list">\n' + "\n".join(items) + "\n</ul></div>\n"
            + pager_list(site, slug, k, style) + "</div>\n" + footer())


def epaper_index(site: m.Site) -> str:
    items = "\n".join(f'<li><a href="{issue_path(d)}">{d:%Y年%m月%d日}　第02版：要闻</a></li>' for d in site.issues())
    return (head(f"数字报_{m.SITE_NAME}", "utf-8") + header(site, "epaper")
            + '<div class="main wrap"><div class="position">当前位置：<a href="/">首页</a> &gt; 数字报</div>\n'
            + f'<div class="list_box"><h2>往期回顾</h2><ul class="list">\n{items}\n</ul></div></div>\n' + footer())


def epaper_node(site: m.Site, d: dt.date, arts: list[m.Article]) -> str:
    items = "\n".join(f'<li><a href="content_{a.id}.htm">{esc(a.title)}</a></li>' for a in arts)
    area = "\n".join(f'<area shape="rect" coords="0,{i * 100},600,{i * 100 + 90}" href="content_{a.id}.htm">'
                     for i, a in enumerate(arts))
    return (head(f"示范政协报 {d:%Y年%m月%d日} 第02版：要闻_{m.SITE_NAME}", "utf-8") + header(site, "epaper")
            + f'<div class="epaper wrap"><div class="bmnav">{d:%Y年%m月%d日}　第02版：要闻　<a href="/epaper/index.html">往期回顾</a></div>\n'
            + f'<img src="/uploads/epaper/{d:%Y%m%d}_02.jpg" usemap="#pagemap"><map name="pagemap">{area}</map>\n'
            + f'<ul class="titlelist">\n{items}\n</ul></div>\n' + footer())


def home_page(site: m.Site) -> str:
    main = [a for a in site.articles if a.host == m.BASE]
    top = main[0]
    blocks = []
    for s in m.SECTIONS:
        if s["slug"] == "epaper":
            continue
        arts = site.section_articles(s["slug"])[:6]
        li = "".join(f'<li><a href="{esc(a.path)}" title="{esc(a.title)}">{esc(a.title)}</a><span>{a.date:%m-%d}</span></li>'
                     for a in arts)
        blocks.append(f'<div class="block"><h2><a href="{esc(site.list_pages(s["slug"])[0])}">{s["name"]}</a>'
                      f'<a class="more" href="{esc(site.list_pages(s["slug"])[0])}">更多&gt;&gt;</a></h2><ul>{li}</ul></div>')
    hot = [a for a in main if a.alternates or len(a.pages) > 1]
    hot_li = []
    for a in hot[:6]:
        hot_li.append(f'<li><a href="{esc(a.path)}">{esc(a.title)}</a></li>')
        for x in a.alternates:
            hot_li.append(f'<li><a href="{esc(x["path"])}">{esc(a.title)}</a></li>')
    meta = (f'<meta name="SiteName" content="{m.SITE_NAME}">\n<meta property="og:site_name" content="{m.SITE_NAME}">\n'
            f'<meta name="description" content="{m.SITE_NAME}是示范政协报社主办的政协新闻综合网站">\n')
    return (head(m.SITE_NAME, "utf-8", meta) + header(site)
            + f'<div class="main wrap"><div class="headline"><h2><a href="{esc(top.path)}">{esc(top.title)}</a></h2>'
            + f'<p>{esc(top.pages[0][0][:80])}……</p></div>\n'
            + "\n".join(blocks)
            + f'\n<div class="block hot"><h2>热点推荐</h2><ul>{"".join(hot_li)}</ul></div>\n'
            + '<div class="block"><h2><a href="/epaper/index.html">数字报</a></h2></div>\n</div>\n' + footer())


# --- mirror host ----------------------------------------------------------------------

def mirror_pages(site: m.Site) -> dict[str, str]:
    arts = [a for a in site.articles if a.host == m.MIRROR]
    li = "\n".join(f'<li><a href="{a.path}">{esc(a.title)}</a><span>{a.date:%Y-%m-%d}</span></li>' for a in arts)
    shell = lambda title, body: (head(title, "utf-8", f'<meta property="og:site_name" content="{m.MIRROR_NAME}">\n')  # noqa: E731
                                 + f'<body>\n<div class="head"><a href="/">{m.MIRROR_NAME}</a></div>\n'
                                 + '<div class="nav"><a href="/">首页</a> <a href="/news/index.html">政协要闻</a></div>\n'
                                 + body + f'<div class="foot">{m.MIRROR_NAME} 版权所有 '
                                 + f'<a href="{m.BASE}/">{m.SITE_NAME}</a></div>\n</body>\n</html>\n')
    return {
        "/": shell(m.MIRROR_NAME, f'<div class="box"><h2>政协要闻</h2><ul>{li}</ul></div>\n'),
        "/news/index.html": shell(f"政协要闻_{m.MIRROR_NAME}",
                                  f'<div class="position">当前位置：<a href="/">首页</a> &gt; 政协要闻</div><ul class="list">{li}</ul>\n'),
    }


# --- feeds and robots ------------------------------------------------------------------

def http_date(ts: float) -> str:
    return email.utils.formatdate(ts, usegmt=True)


def robots(site: m.Site) -> str:
    return ("# robots.txt for the demo portal\n"
            "User-agent: BadBot\nDisallow: /\n\n"
            "User-agent: newsharvest\nDisallow: /admin/\nDisallow: /search/\nDisallow: /__admin/\n"
            f"Crawl-delay: {site.crawl_delay}\n\n"
            "User-agent: *\nDisallow: /admin/\nDisallow: /search/\nDisallow: /__admin/\nCrawl-delay: 1\n\n"
            f"Sitemap: {m.BASE}/sitemap.xml\n")


def sitemap(urls: list[tuple[str, float]]) -> str:
    items = "".join(f"<url><loc>{html.escape(u)}</loc><lastmod>{dt.datetime.fromtimestamp(t, m.TZ).isoformat()}</lastmod></url>\n"
                    for u, t in urls)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + items + "</urlset>\n")


def rss(site: m.Site) -> str:
    main = [a for a in site.articles if a.host == m.BASE][:40]
    items = "".join(
        f"<item><title>{html.escape(a.title)}</title><link>{html.escape(a.url)}</link>"
        f"<guid isPermaLink=\"true\">{html.escape(a.url)}</guid><category>{html.escape(a.section_name)}</category>"
        f"<pubDate>{http_date(a.timestamp())}</pubDate>"
        f"<description>{html.escape(a.pages[0][0][:80])}</description></item>\n" for a in main)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>\n'
            f"<title>{m.SITE_NAME}</title><link>{m.BASE}/</link><description>{m.SITE_NAME}最新稿件</description>"
            f"<language>zh-cn</language><lastBuildDate>{http_date(site.clock.timestamp())}</lastBuildDate>\n"
            + items + "</channel></rss>\n")


CSS = "body{font:14px/1.8 sans-serif;margin:0}.wrap{width:1000px;margin:0 auto}.nav ul{display:flex;list-style:none}\n"


# --- the whole site ----------------------------------------------------------------------

def render_site(site: m.Site) -> dict[tuple[str, str], tuple[bytes, str, float]]:
    out: dict[tuple[str, str], tuple[bytes, str, float]] = {}
    H, MH = m.MAIN_HOST, m.MIRROR_HOST

    def put(host, path, text, charset="utf-8", ctype="text/html", lm=0.0):
        if charset == "gbk":
            data = text.encode("gbk")  # strict: every character must exist in GBK
            out[(host, path)] = (data, f"{ctype}; charset=gb2312", lm)
        else:
            out[(host, path)] = (text.encode("utf-8"), f"{ctype}; charset=utf-8", lm)

    put(H, "/", home_page(site))
    put(H, "/index.html", home_page(site))
    for s in m.SECTIONS:
        if s["slug"] == "epaper":
            continue
        for k, p in enumerate(site.list_pages(s["slug"])):
            put(H, p, list_page(site, s["slug"], k), s["charset"])
            if p.endswith("/index.html"):
                put(H, p[: -len("index.html")], list_page(site, s["slug"], k), s["charset"])
    put(H, "/epaper/index.html", epaper_index(site))
    for d, arts in site.issues().items():
        put(H, issue_path(d), epaper_node(site, d, arts))
    for a in site.articles:
        host = MH if a.host == m.MIRROR else H
        for k, p in enumerate(a.page_paths()):
            put(host, p, article_page(site, a, k), a.charset, lm=a.lastmod())
        for x in a.alternates:
            put(host, x["path"], article_page(site, a, 0, **({"canonical": True} if a.family == "phpcms" else {})),
                a.charset, lm=a.timestamp())
    for p, text in mirror_pages(site).items():
        put(MH, p, text)
    put(MH, "/robots.txt", f"User-agent: *\nAllow: /\n\nSitemap: {m.MIRROR}/sitemap.xml\n", ctype="text/plain")
    mir = [a for a in site.articles if a.host == m.MIRROR]
    put(MH, "/sitemap.xml", sitemap([(a.url, a.lastmod()) for a in mir]), ctype="application/xml")
    put(H, "/robots.txt", robots(site), ctype="text/plain")
    main = [a for a in site.articles if a.host == m.BASE]
    put(H, "/sitemap.xml", sitemap([(a.url, a.lastmod()) for a in main]
                                   + [(m.BASE + site.list_pages(s["slug"])[0], site.clock.timestamp()) for s in m.SECTIONS]),
        ctype="application/xml")
    # A sitemap index naming a gzip-compressed sitemap of the main host's articles, served as
    # application/x-gzip without Content-Encoding (how portals publish sitemap.xml.gz). Linked
    # from nowhere: tests point a profile at it. Compressed bytes cannot carry the @@ origin
    # placeholders, so its URLs are the canonical ones.
    gz_map = m.substitute_text(sitemap([(a.url, a.lastmod()) for a in main]), None)
    out[(H, "/sitemaps/articles.xml.gz")] = (gzip.compress(gz_map.encode("utf-8"), 6, mtime=0),
                                             "application/x-gzip", 0.0)
    put(H, "/sitemaps/index.xml",
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"<sitemap><loc>{m.BASE}/sitemaps/articles.xml.gz</loc></sitemap>\n</sitemapindex>\n",
        ctype="application/xml")
    put(H, "/rss.xml", rss(site), ctype="application/rss+xml")
    put(H, "/static/css/style.css", CSS, ctype="text/css")
    return out
