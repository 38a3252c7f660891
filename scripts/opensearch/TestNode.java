package arnews;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.settings.Settings;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.transport.Netty4Plugin;

/**
 * One OpenSearch node for the project's local test cluster, run from the server jars that Maven
 * Central publishes (no distribution download): the core plus the two modules our backend needs,
 * the Netty transport/HTTP layer and common analysis. Started by scripts/opensearch-cluster.
 *
 * <p>Usage: TestNode HOME NAME HTTP_PORT TRANSPORT_PORT SEED_HOSTS INITIAL_MANAGERS. Binds
 * 127.0.0.1 only. Stops cleanly on SIGTERM.
 */
public final class TestNode extends Node {
  private TestNode(Settings settings) {
    super(
        InternalSettingsPreparer.prepareEnvironment(settings, Map.of(), null, () -> settings.get("node.name")),
        List.of(Netty4Plugin.class, CommonAnalysisPlugin.class),
        true);
  }

  public static void main(String[] args) throws Exception {
    Path home = Path.of(args[0]);
    Settings settings = Settings.builder()
        .put("path.home", home.toString())
        .put("path.data", home.resolve("data").toString())
        .put("path.logs", home.resolve("logs").toString())
        .put("cluster.name", "arnews-test")
        .put("node.name", args[1])
        .put("network.host", "127.0.0.1")
        .put("http.port", args[2])
        .put("transport.port", args[3])
        .putList("discovery.seed_hosts", List.of(args[4].split(",")))
        .putList("cluster.initial_cluster_manager_nodes", List.of(args[5].split(",")))
        .put("cluster.routing.allocation.disk.threshold_enabled", false)
        .put("transport.type", "netty4")
        .put("http.type", "netty4")
        .build();
    Node node = new TestNode(settings);
    node.start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        node.close();
      } catch (Exception e) {
        e.printStackTrace();
      }
      stopped.countDown();
    }));
    stopped.await();
  }
}
