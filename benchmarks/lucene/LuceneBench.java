package arnews;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.ar.ArabicAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.queryparser.classic.MultiFieldQueryParser;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Version;

/**
 * Stock Lucene with its ArabicAnalyzer on the suite's articles and queries. Written for the
 * Lucene that Debian packages (liblucene4.10-java, Lucene 4.10.4): Maven Central is not
 * reachable from this project's machines.
 *
 * <p>Usage: LuceneBench ARTICLES.tsv INDEX_DIR QUERIES.txt. Articles are id TAB title TAB body
 * per line; title and body are stored, as in the other engines. Prints one JSON object: build
 * seconds (reading included, one indexing thread) and, per query, the ms of parsing it and taking
 * the top 10 (after one warm-up pass over all queries).
 */
public final class LuceneBench {
  public static void main(String[] args) throws Exception {
    Path tsv = Paths.get(args[0]);
    Path dir = Paths.get(args[1]);
    List<String> queries = Files.readAllLines(Paths.get(args[2]), StandardCharsets.UTF_8);
    Analyzer analyzer = new ArabicAnalyzer();

    long t0 = System.nanoTime();
    int n = 0;
    IndexWriterConfig cfg = new IndexWriterConfig(Version.LUCENE_4_10_4, analyzer).setRAMBufferSizeMB(256);
    cfg.setOpenMode(IndexWriterConfig.OpenMode.CREATE);
    try (FSDirectory fs = FSDirectory.open(dir.toFile());
        IndexWriter writer = new IndexWriter(fs, cfg);
        BufferedReader in = Files.newBufferedReader(tsv, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        String[] f = line.split("\t", 3);
        if (f.length < 3) continue;
        Document doc = new Document();
        doc.add(new StringField("id", f[0], Field.Store.YES));
        doc.add(new TextField("title", f[1], Field.Store.YES));
        doc.add(new TextField("body", f[2], Field.Store.YES));
        writer.addDocument(doc);
        n++;
      }
      writer.commit();
    }
    double buildS = (System.nanoTime() - t0) / 1e9;

    List<Double> ms = new ArrayList<>();
    try (FSDirectory fs = FSDirectory.open(dir.toFile());
        DirectoryReader reader = DirectoryReader.open(fs)) {
      IndexSearcher searcher = new IndexSearcher(reader);
      for (int pass = 0; pass < 2; pass++) {
        for (String q : queries) {
          long t = System.nanoTime();
          MultiFieldQueryParser parser =
              new MultiFieldQueryParser(new String[] {"title", "body"}, analyzer);
          parser.setDefaultOperator(QueryParser.Operator.OR);
          Query query = parser.parse(QueryParser.escape(q));
          searcher.search(query, 10);
          if (pass == 1) ms.add((System.nanoTime() - t) / 1e6);
        }
      }
    }
    StringBuilder out = new StringBuilder();
    out.append("{\"articles\": ").append(n).append(", \"build_s\": ").append(buildS);
    out.append(", \"top10_ms\": [");
    for (int i = 0; i < ms.size(); i++) out.append(i > 0 ? ", " : "").append(ms.get(i));
    out.append("]}");
    System.out.println(out);
  }
}
