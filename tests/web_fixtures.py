"""A small Arabic news web on 127.0.0.1 for the feed, page and archive tests (no internet): article
pages that look like real outlet pages (navigation, breadcrumbs, share buttons, related links,
comments, footer) around a known article text, their feeds (RSS 2.0, Atom, RSS 1.0, one in
windows-1256, one broken), robots.txt, redirects, a slow host, a huge page; and a request log.
"""

from __future__ import annotations

import html
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ARTICLES = {
    "jubeir": {
        "title": "الجبير يبحث مع نظيره الأمريكي تطورات الأوضاع في المنطقة",
        "paragraphs": [
            "بحث وزير الخارجية عادل الجبير مع وزير الخارجية الأمريكي جون كيري في الرياض أمس تطورات الأوضاع "
            "في المنطقة، والجهود المبذولة لإيجاد حل سياسي للأزمة في اليمن وسوريا.",
            "وأكد الجبير خلال مؤتمر صحفي مشترك أن المملكة ماضية في دعم الاستقرار الإقليمي، وأن التنسيق مع "
            "الولايات المتحدة مستمر في الملفات الاقتصادية والأمنية كافة.",
            "من جهته أشاد كيري بالعلاقات التاريخية بين البلدين، مشيرا إلى أن الاجتماع تناول كذلك أسعار النفط "
            "وأمن الملاحة في البحر الأحمر ومكافحة الإرهاب.",
        ],
        "author": "محمد الغامدي",
        "published": datetime(2026, 11, 30, 22, 30, tzinfo=UTC),  # 1 December in Riyadh
    },
    "rain": {
        "title": "أمطار غزيرة على جدة ومكة وتعليق الدراسة في عدد من المحافظات",
        "paragraphs": [
            "هطلت أمطار غزيرة صباح اليوم على محافظة جدة ومكة المكرمة، مصحوبة برياح نشطة وانخفاض في مدى الرؤية "
            "الأفقية، وفق ما أعلنه المركز الوطني للأرصاد.",
            "وقررت إدارات التعليم تعليق الدراسة الحضورية في عدد من المحافظات والاكتفاء بالتعليم عن بعد عبر "
            "منصة مدرستي حرصا على سلامة الطلاب والطالبات.",
            "ودعا الدفاع المدني السكان إلى البقاء في أماكن آمنة والابتعاد عن مجاري السيول والأودية حتى "
            "انتهاء الحالة المطرية المتوقع استمرارها حتى مساء الغد.",
        ],
        "author": "",
        "published": datetime(2026, 11, 29, 6, 0, tzinfo=UTC),
    },
    "league": {
        "title": "الهلال يتغلب على النصر ويعزز صدارته لدوري روشن",
        "paragraphs": [
            "حقق فريق الهلال فوزا ثمينا على ضيفه النصر بهدفين مقابل هدف في المباراة التي جمعتهما مساء أمس على "
            "ملعب المملكة أرينا ضمن منافسات الجولة الثانية عشرة من دوري روشن للمحترفين.",
            "وسجل للهلال المهاجم سالم الدوسري في الدقيقة الخامسة والعشرين، وأضاف زميله الهدف الثاني بعد "
            "الاستراحة، فيما قلص النصر الفارق في الدقائق الأخيرة.",
            "وبهذا الفوز رفع الهلال رصيده إلى ثلاث وثلاثين نقطة في صدارة الترتيب بفارق خمس نقاط عن أقرب "
            "ملاحقيه، بينما تجمد رصيد النصر عند خمس وعشرين نقطة.",
        ],
        "author": "عبدالله القحطاني",
        "published": datetime(2026, 11, 28, 18, 15, tzinfo=UTC),
    },
    "budget": {
        "title": "مجلس الوزراء يقر الميزانية العامة للدولة للعام المالي المقبل",
        "paragraphs": [
            "أقر مجلس الوزراء في جلسته التي عقدها برئاسة خادم الحرمين الشريفين الملك سلمان بن عبدالعزيز "
            "الميزانية العامة للدولة للعام المالي المقبل بإنفاق يتجاوز تريليون ريال.",
            "وأوضح وزير المالية محمد الجدعان أن الميزانية تركز على الإنفاق الرأسمالي في مشروعات البنية "
            "التحتية والإسكان والصحة والتعليم، مع الحفاظ على الاستدامة المالية.",
            "وتوقعت الوزارة أن يسجل الاقتصاد غير النفطي نموا يفوق أربعة في المئة خلال العام، مدعوما بارتفاع "
            "الاستثمارات وتحسن معدلات التوظيف.",
        ],
        "author": "",
        "published": None,  # neither the feed nor the page gives a date
    },
}


def article_text(key: str) -> str:
    return "\n".join(ARTICLES[key]["paragraphs"])


def outlet_page(key: str, canonical: str | None = None, with_date: bool = True) -> str:
    """An article page built like an Arabic outlet's: the article among the site's furniture."""
    a = ARTICLES[key]
    date = a["published"]
    meta_date = (f'<meta property="article:published_time" content="{date.isoformat()}">'
                 if with_date and date else "")
    canon = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    author = f'<meta name="author" content="{a["author"]}">' if a["author"] else ""
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in a["paragraphs"])
    related = "".join(f'<li><a href="/news/{k}.html">{html.escape(v["title"])}</a></li>'
                      for k, v in ARTICLES.items() if k != key)
    return f"""<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8">
<title>{html.escape(a["title"])} | صحيفة الاختبار</title>{canon}{author}{meta_date}
<meta property="og:site_name" content="صحيفة الاختبار"><meta property="og:title" content="{html.escape(a["title"])}">
</head><body>
<header class="site-header"><div class="logo"><a href="/">صحيفة الاختبار</a></div>
<nav class="main-menu"><ul><li><a href="/">الرئيسية</a></li><li><a href="/local">محليات</a></li>
<li><a href="/world">دوليات</a></li><li><a href="/economy">اقتصاد</a></li><li><a href="/sport">رياضة</a></li>
<li><a href="/opinion">كتاب وآراء</a></li></ul></nav>
<div class="ticker">عاجل: تابعوا آخر الأخبار لحظة بلحظة عبر تطبيقنا</div></header>
<div class="breadcrumbs"><a href="/">الرئيسية</a> › <a href="/local">محليات</a></div>
<main><article class="article">
<h1 class="headline">{html.escape(a["title"])}</h1>
<div class="byline">{html.escape(a["author"] or "صحيفة الاختبار")}</div>
<div class="share"><a href="#">شارك على تويتر</a> <a href="#">واتساب</a> <a href="#">فيسبوك</a>
<a href="#">نسخ الرابط</a></div>
<div class="article-body">{paragraphs}</div>
<div class="tags">وسوم: <a href="/tag/1">السعودية</a> <a href="/tag/2">أخبار</a></div>
</article>
<aside class="related"><h3>اقرأ أيضا</h3><ul>{related}</ul></aside>
<section class="comments"><h3>التعليقات (3)</h3>
<div class="comment"><b>أبو فهد</b><p>خبر جميل، شكرا للصحيفة على المتابعة المستمرة.</p></div>
<div class="comment"><b>متابع</b><p>نتمنى المزيد من التفاصيل في التقارير القادمة.</p></div>
<form><textarea placeholder="أضف تعليقك"></textarea><button>إرسال</button></form></section>
</main>
<div class="newsletter">اشترك في النشرة البريدية ليصلك أهم الأخبار يوميا</div>
<footer><p>جميع الحقوق محفوظة © صحيفة الاختبار ٢٠٢٦</p><a href="/about">من نحن</a> <a href="/contact">اتصل بنا</a>
<a href="/privacy">سياسة الخصوصية</a></footer></body></html>"""


def rss2(base: str, items: list[tuple[str, str]], encoding: str = "utf-8") -> bytes:
    """RSS 2.0 with items (article key, link)."""
    entries = []
    for key, link in items:
        a = ARTICLES[key]
        pub = f"<pubDate>{format_datetime(a['published'])}</pubDate>" if a["published"] else ""
        entries.append(f"<item><title>{html.escape(a['title'])}</title><link>{html.escape(link)}</link>{pub}"
                       f"<description>{html.escape(a['paragraphs'][0][:80])}</description></item>")
    doc = (f'<?xml version="1.0" encoding="{encoding}"?><rss version="2.0"><channel><title>صحيفة الاختبار</title>'
           f"<link>{base}/</link><description>أخبار</description>{''.join(entries)}</channel></rss>")
    return doc.encode(encoding)


def atom(base: str, items: list[tuple[str, str]]) -> bytes:
    entries = "".join(
        f"<entry><title>{html.escape(ARTICLES[k]['title'])}</title><link href=\"{html.escape(link)}\"/>"
        f"<id>{html.escape(link)}</id><updated>{ARTICLES[k]['published'].isoformat()}</updated></entry>"
        for k, link in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>أخبار</title>'
            f'<id>{base}/atom</id><updated>2026-12-01T00:00:00Z</updated>{entries}</feed>').encode()


def rss1(base: str, items: list[tuple[str, str]]) -> bytes:
    lis = "".join(f'<rdf:li rdf:resource="{html.escape(link)}"/>' for _, link in items)
    entries = "".join(
        f'<item rdf:about="{html.escape(link)}"><title>{html.escape(ARTICLES[k]["title"])}</title>'
        f"<link>{html.escape(link)}</link><dc:date>{ARTICLES[k]['published'].isoformat()}</dc:date></item>"
        for k, link in items)
    return ('<?xml version="1.0" encoding="utf-8"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f'<channel rdf:about="{base}/rss1"><title>أخبار</title><link>{base}/</link><description>x</description>'
            f"<items><rdf:Seq>{lis}</rdf:Seq></items></channel>{entries}</rdf:RDF>").encode()


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    location: str | None = None
    etag: str | None = None
    slow: float = 0.0  # seconds between chunks of 1 KB


@dataclass
class FixtureWeb:
    """The routes (path -> Route, changeable between runs) and the log of requests."""

    routes: dict[str, Route] = field(default_factory=dict)
    log: list[tuple[float, str, dict[str, str]]] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def base(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def requested(self, path: str) -> list[dict[str, str]]:
        return [h for _, p, h in self.log if p == path]

    def start(self) -> FixtureWeb:
        web = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                web.log.append((time.monotonic(), self.path, dict(self.headers)))
                route = web.routes.get(self.path) or web.routes.get(self.path.split("?")[0])
                if route is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if route.etag and self.headers.get("If-None-Match") == route.etag:
                    self.send_response(304)
                    self.send_header("ETag", route.etag)
                    self.end_headers()
                    return
                self.send_response(route.status)
                if route.location:
                    self.send_header("Location", route.location)
                if route.etag:
                    self.send_header("ETag", route.etag)
                self.send_header("Content-Type", route.content_type)
                self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                try:
                    if not route.slow:
                        self.wfile.write(route.body)
                        return
                    for i in range(0, len(route.body), 1024):
                        self.wfile.write(route.body[i:i + 1024])
                        self.wfile.flush()
                        time.sleep(route.slow)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
