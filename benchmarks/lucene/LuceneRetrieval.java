package arnews;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.ar.ArabicAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * The stock set-up a user gets from Elasticsearch/OpenSearch out of the box, as the ranking issue
 * names it: Lucene 8.8's ArabicAnalyzer, default BM25, one field holding title + body, each query
 * parsed as escaped text with OR between its words.
 *
 * <p>Usage: LuceneRetrieval ARTICLES.tsv QUERIES.tsv OUT.tsv DEPTH. Articles are id TAB title TAB
 * body per line; queries qid TAB text. Writes qid TAB docid TAB rank lines.
 */
public final class LuceneRetrieval {
  public static void main(String[] args) throws Exception {
    int depth = Integer.parseInt(args[3]);
    Analyzer analyzer = new ArabicAnalyzer();
    ByteBuffersDirectory dir = new ByteBuffersDirectory();
    try (IndexWriter w = new IndexWriter(dir, new IndexWriterConfig(analyzer));
        BufferedReader r = Files.newBufferedReader(Paths.get(args[0]), StandardCharsets.UTF_8)) {
      String line;
      while ((line = r.readLine()) != null) {
        String[] f = line.split("\t", -1);
        Document d = new Document();
        d.add(new StringField("id", f[0], Field.Store.YES));
        d.add(new TextField("text", f[1] + "\n" + f[2], Field.Store.NO));
        w.addDocument(d);
      }
    }
    BooleanQuery.setMaxClauseCount(100_000);
    try (DirectoryReader reader = DirectoryReader.open(dir);
        BufferedReader q = Files.newBufferedReader(Paths.get(args[1]), StandardCharsets.UTF_8);
        PrintWriter out = new PrintWriter(Files.newBufferedWriter(Paths.get(args[2]), StandardCharsets.UTF_8))) {
      IndexSearcher searcher = new IndexSearcher(reader);
      QueryParser parser = new QueryParser("text", analyzer);
      String line;
      while ((line = q.readLine()) != null) {
        String[] f = line.split("\t", 2);
        if (f.length < 2) {
          continue;
        }
        Query query = parser.parse(QueryParser.escape(f[1]));
        ScoreDoc[] hits = searcher.search(query, depth).scoreDocs;
        for (int i = 0; i < hits.length; i++) {
          out.println(f[0] + "\t" + searcher.doc(hits[i].doc).get("id") + "\t" + (i + 1));
        }
      }
    }
  }
}
