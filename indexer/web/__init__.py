"""Reading the web: outlets' feeds and article pages (fetched politely), web archives (WARC) and
saved pages, all turned into the same Article records as the corpus files."""
