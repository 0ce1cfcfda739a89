package crm;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

/**
 * Runs mongo-java-server on a chosen address.
 *
 * <p>Usage: {@code MongoLauncher --port N [--bind 127.0.0.1] [--h2 /path/file.mv]}.
 * Without {@code --h2} the memory backend is used. Prints one line starting with
 * {@code READY} once the port accepts connections; SIGTERM shuts the server down
 * cleanly, which for H2 flushes and closes the store file.
 */
public final class MongoLauncher {

    /**
     * What the server reports in {@code hello}: MongoDB 5.0, wire version 13. The
     * library's own MONGO_5_0 constant reports wire version 8, which current PyMongo
     * (needs at least 9) refuses; the version only changes the handshake.
     */
    private static final MongoVersion REPORTED_VERSION = new MongoVersion() {
        @Override
        public List<Integer> getVersionArray() {
            return List.of(5, 0, 0);
        }

        @Override
        public int getWireVersion() {
            return 13;
        }
    };

    private MongoLauncher() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = -1;
        String bind = "127.0.0.1";
        String h2File = null;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (i + 1 >= args.length) {
                usage("missing value for " + flag);
            }
            String value = args[++i];
            switch (flag) {
                case "--port" -> port = Integer.parseInt(value);
                case "--bind" -> bind = value;
                case "--h2" -> h2File = value;
                default -> usage("unknown option " + flag);
            }
        }
        if (port < 0) {
            usage("--port is required");
        }

        MongoBackend backend = h2File == null ? new MemoryBackend() : new H2Backend(h2File);
        backend.version(REPORTED_VERSION);
        MongoServer server = new MongoServer(backend);
        server.bind(new InetSocketAddress(bind, port));

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown();
            stopped.countDown();
        }, "mongo-launcher-shutdown"));

        String backendName = h2File == null ? "memory" : "h2:" + h2File;
        System.out.println("READY mongo-java-server listening on " + bind + ":" + port
                + " backend=" + backendName);
        System.out.flush();
        stopped.await();
    }

    private static void usage(String problem) {
        System.err.println("mongo-launcher: " + problem);
        System.err.println("usage: MongoLauncher --port N [--bind HOST] [--h2 FILE]");
        System.exit(2);
    }
}
