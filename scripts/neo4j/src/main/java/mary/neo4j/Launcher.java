package mary.neo4j;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.ByteUnit;

/**
 * Runs Neo4j Community embedded with only the Bolt connector, for machines without Docker
 * (scripts/services). Auth is off and Bolt listens on loopback only: a local development server.
 *
 * <p>Usage: {@code java -cp classes:lib/* mary.neo4j.Launcher <home> [host] [port]}. The home
 * folder holds data/ and logs/. SIGTERM (or SIGINT) shuts the databases down cleanly through a
 * shutdown hook; "neo4j: ready" on stdout tells scripts/services the default database is online.
 */
public final class Launcher {
  private Launcher() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: Launcher <home> [host] [port]");
      System.exit(2);
    }
    Path home = Path.of(args[0]).toAbsolutePath();
    String host = args.length > 1 ? args[1] : "127.0.0.1";
    int port = args.length > 2 ? Integer.parseInt(args[2]) : 7687;

    DatabaseManagementService dbms =
        new DatabaseManagementServiceBuilder(home)
            .setConfig(BoltConnector.enabled, true)
            .setConfig(BoltConnector.listen_address, new SocketAddress(host, port))
            .setConfig(BoltConnector.advertised_address, new SocketAddress(host, port))
            .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
            .setConfig(GraphDatabaseSettings.auth_enabled, false)
            // Keep the footprint small: the default page cache is sized from the machine's RAM.
            .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(256))
            .build();

    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("neo4j: shutting down");
                  dbms.shutdown();
                  System.out.println("neo4j: stopped");
                },
                "neo4j-shutdown"));

    GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
    if (!db.isAvailable(Duration.ofMinutes(5).toMillis())) {
      System.err.println("neo4j: default database did not come online");
      System.exit(1);
    }
    System.out.println("neo4j: ready on bolt://" + host + ":" + port);

    // Park the main thread; the JVM exits on a signal, after the shutdown hook has run.
    while (true) {
      TimeUnit.HOURS.sleep(1);
    }
  }
}
