package crm;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.DatabaseResolver;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.backend.memory.MemoryCollection;
import de.bwaldvogel.mongo.backend.memory.MemoryDatabase;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.Oplog;
import io.netty.channel.Channel;

/**
 * Runs mongo-java-server on a chosen address.
 *
 * <p>Usage: {@code MongoLauncher --port N [--bind 127.0.0.1] [--h2 /path/file.mv]}.
 * Without {@code --h2} the memory backend is used. Prints one line starting with
 * {@code READY} once the port accepts connections; SIGTERM shuts the server down
 * cleanly, which for H2 flushes and closes the store file.
 *
 * <p>Both backends are subclassed for three things: {@code findAndModify} made atomic
 * (see {@link #isolatedFindAndModify}), unique indexes used by queries that hold
 * more than the index's keys (see {@link IndexNarrowing}), and non-unique indexes
 * kept rather than ignored (see {@link SecondaryIndex}).
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

        MongoBackend backend = h2File == null ? new IsolatedMemoryBackend() : new IsolatedH2Backend(h2File);
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

    /**
     * {@code findAndModify} made atomic, as in MongoDB (our outbox leases, counters
     * and job / send-queue claims rely on it).
     *
     * <p>Why: in mongo-java-server 1.47.0 the collection's {@code findAndModify}
     * already runs under the collection's monitor (AbstractSynchronizedMongoCollection,
     * the lock insert / update / delete also take), but with {@code new: true} (and
     * for upserts) the "value" it returns is the stored document object itself, not
     * a copy. The reply is serialised after the lock is released, so a concurrent
     * write to the same document changes it first: 200 concurrent {@code $inc} via
     * {@code find_one_and_update(return_document=AFTER)} returned ~20 duplicate
     * values. Copying the value while still holding the collection's monitor gives
     * each caller its own post-image. (The pre-image, {@code new: false}, is already
     * a copy; plain updates return no document, so they were never affected.)
     *
     * <p>Mirrors the library's own dispatch of the command
     * (AbstractMongoDatabase.handleCommand, 1.47.0); re-check on upgrade.
     */
    static <P> Document isolatedFindAndModify(IsolatingDatabase<P> database, Channel channel,
                                              String command, Document query) {
        database.clearStatus(channel);
        MongoCollection<P> collection = database.collection(query.get(command).toString());
        // The collection's own monitor: findAndModify re-enters it, and concurrent
        // updates / inserts / deletes of this collection wait until the copy is made.
        synchronized (collection) {
            Document result = collection.findAndModify(query);
            if (result.get("value") instanceof Document value) {
                result.put("value", value.cloneDeeply());
            }
            return result;
        }
    }

    /** What {@link #isolatedFindAndModify} needs from a database (protected there). */
    interface IsolatingDatabase<P> {
        void clearStatus(Channel channel);

        MongoCollection<P> collection(String name);
    }

    private static final class IsolatedMemoryBackend extends MemoryBackend {
        @Override
        public MemoryDatabase openOrCreateDatabase(String databaseName) {
            return new IsolatedMemoryDatabase(databaseName, getCursorRegistry());
        }
    }

    private static final class IsolatedMemoryDatabase extends MemoryDatabase implements IsolatingDatabase<Integer> {
        IsolatedMemoryDatabase(String databaseName, CursorRegistry cursorRegistry) {
            super(databaseName, cursorRegistry);
        }

        @Override
        protected MemoryCollection openOrCreateCollection(String collectionName, CollectionOptions options) {
            return new NarrowingMemoryCollection(this, collectionName, options, cursorRegistry);
        }

        @Override
        protected Index<Integer> openOrCreateSecondaryIndex(String collectionName, String indexName,
                                                            List<IndexKey> keys, boolean sparse) {
            return new SecondaryIndex<>(indexName, keys, sparse);
        }

        @Override
        public Document handleCommand(Channel channel, String command, Document query,
                                      DatabaseResolver databaseResolver, Oplog oplog) {
            if (command.equalsIgnoreCase("findAndModify")) {
                return isolatedFindAndModify(this, channel, command, query);
            }
            return super.handleCommand(channel, command, query, databaseResolver, oplog);
        }

        @Override
        public void clearStatus(Channel channel) {
            clearLastStatus(channel);
        }

        @Override
        public MongoCollection<Integer> collection(String name) {
            return resolveOrCreateCollection(name);
        }
    }

    private static final class IsolatedH2Backend extends H2Backend {
        IsolatedH2Backend(String fileName) {
            super(fileName);
        }

        @Override
        protected MongoDatabase openOrCreateDatabase(String databaseName) {
            return new IsolatedH2Database(databaseName, getMvStore(), getCursorRegistry());
        }

        /**
         * An inner class so that {@link #openOrCreateCollection} reaches the store through
         * the backend: H2Database's constructor already opens the existing collections,
         * before a field of this class could be set (the outer instance is set first).
         */
        private final class IsolatedH2Database extends H2Database implements IsolatingDatabase<Object> {
            IsolatedH2Database(String databaseName, MVStore mvStore, CursorRegistry cursorRegistry) {
                super(databaseName, mvStore, cursorRegistry);
            }

            /** Mirrors H2Database.openOrCreateCollection (1.47.0): the same map names. */
            @Override
            protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
                String fullName = getFullCollectionNamespace(collectionName);
                MVStore mvStore = getMvStore();
                MVMap<Object, Document> dataMap = mvStore.openMap("databases." + fullName);
                MVMap<String, Object> metaMap = mvStore.openMap("meta." + fullName);
                return new NarrowingH2Collection(this, collectionName, options, dataMap, metaMap, cursorRegistry);
            }

            @Override
            protected Index<Object> openOrCreateSecondaryIndex(String collectionName, String indexName,
                                                               List<IndexKey> keys, boolean sparse) {
                return new SecondaryIndex<>(indexName, keys, sparse);
            }

            @Override
            public Document handleCommand(Channel channel, String command, Document query,
                                          DatabaseResolver databaseResolver, Oplog oplog) {
                if (command.equalsIgnoreCase("findAndModify")) {
                    return isolatedFindAndModify(this, channel, command, query);
                }
                return super.handleCommand(channel, command, query, databaseResolver, oplog);
            }

            @Override
            public void clearStatus(Channel channel) {
                clearLastStatus(channel);
            }

            @Override
            public MongoCollection<Object> collection(String name) {
                return resolveOrCreateCollection(name);
            }
        }
    }

    private static final class NarrowingMemoryCollection extends MemoryCollection {
        NarrowingMemoryCollection(MongoDatabase database, String collectionName, CollectionOptions options,
                                  CursorRegistry cursorRegistry) {
            super(database, collectionName, options, cursorRegistry);
        }

        @Override
        protected QueryResult queryDocuments(Document query, Document orderBy, int numberToSkip, int limit,
                                             int batchSize, Document fieldSelector) {
            Iterable<Integer> positions = IndexNarrowing.positions(getIndexes(), query);
            if (positions == null) {
                return super.queryDocuments(query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
            }
            return matchDocuments(query, positions, orderBy, numberToSkip, limit, batchSize, fieldSelector);
        }
    }

    private static final class NarrowingH2Collection extends H2Collection {
        NarrowingH2Collection(MongoDatabase database, String collectionName, CollectionOptions options,
                              MVMap<Object, Document> dataMap, MVMap<String, Object> metaMap,
                              CursorRegistry cursorRegistry) {
            super(database, collectionName, options, dataMap, metaMap, cursorRegistry);
        }

        @Override
        protected QueryResult queryDocuments(Document query, Document orderBy, int numberToSkip, int limit,
                                             int batchSize, Document fieldSelector) {
            Iterable<Object> positions = IndexNarrowing.positions(getIndexes(), query);
            if (positions == null) {
                return super.queryDocuments(query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
            }
            return matchDocuments(query, positions, orderBy, numberToSkip, limit, batchSize, fieldSelector);
        }
    }

    private static void usage(String problem) {
        System.err.println("mongo-launcher: " + problem);
        System.err.println("usage: MongoLauncher --port N [--bind HOST] [--h2 FILE]");
        System.exit(2);
    }
}
