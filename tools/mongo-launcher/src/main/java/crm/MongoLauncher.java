package crm;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import java.util.function.Supplier;

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
import de.bwaldvogel.mongo.backend.aggregation.Aggregation;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.backend.memory.MemoryCollection;
import de.bwaldvogel.mongo.backend.memory.MemoryDatabase;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;
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
 * <p>Both backends are subclassed for four things: {@code findAndModify} made atomic
 * (see {@link #isolatedFindAndModify}), unique indexes used by queries that hold
 * more than the index's keys (see {@link IndexNarrowing}), non-unique indexes
 * kept rather than ignored (see {@link SecondaryIndex}), and indexes used by an
 * aggregation's leading {@code $match} (see {@link #narrowedAggregate}). Their
 * duplicate-key errors also name the violated key (see {@link DuplicateKeys}).
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

    /**
     * The commands both backends answer their own way; null: the library's way.
     * Mirrors the library's dispatch (AbstractMongoDatabase.handleCommand, 1.47.0).
     */
    static <P> Document handledHere(IsolatingDatabase<P> database, Channel channel, String command,
                                    Document query, DatabaseResolver resolver, Oplog oplog) {
        if (command.equalsIgnoreCase("findAndModify")) {
            return isolatedFindAndModify(database, channel, command, query);
        }
        if (command.equalsIgnoreCase("aggregate")) {
            return narrowedAggregate(database, query, resolver, oplog);
        }
        return null;
    }

    /**
     * A command answered here or by the library, its duplicate-key errors naming the
     * violated key as MongoDB's do (see {@link DuplicateKeys}).
     */
    static <P> Document answered(IsolatingDatabase<P> database, Channel channel, String command,
                                 Document query, DatabaseResolver resolver, Oplog oplog,
                                 Supplier<Document> library) {
        try {
            Document handled = handledHere(database, channel, command, query, resolver, oplog);
            return DuplicateKeys.described(database, command, query, handled != null ? handled : library.get());
        } catch (MongoServerError error) {
            if (!DuplicateKeys.isDuplicateKey(error.getCode())) {
                throw error;
            }
            return DuplicateKeys.errorReply(database, command, query, error);
        }
    }

    /**
     * An aggregation whose first stage is a {@code $match} that an index narrows runs
     * its stages over the index's candidates only; null when it does not apply.
     *
     * <p>Why: mongo-java-server 1.47.0 runs every aggregation over the whole collection
     * (Aggregation.runStages), and PyMongo's {@code count_documents} is an aggregation:
     * the total of every paged list and every counted analytics rollup scanned its
     * collection, costing more as the data grew. MongoDB answers both from the index.
     *
     * <p>How: the candidates are read under the collection's monitor, as a query's are,
     * and every stage, the {@code $match} included, then runs over them, so the result is
     * a scan's. The reply is the library's (AbstractMongoDatabase.commandAggregate,
     * 1.47.0): the whole result in the first batch. Anything else (a {@code let},
     * {@code explain}, {@code $out} or {@code $merge}, a collection that does not exist,
     * a {@code $match} no index narrows) goes the library's way.
     */
    static <P> Document narrowedAggregate(IsolatingDatabase<P> database, Document query,
                                          DatabaseResolver resolver, Oplog oplog) {
        if (query.containsKey("let") || query.containsKey("explain")) {
            return null;
        }
        List<Document> pipeline = Aggregation.parse(query.get("pipeline"));
        if (pipeline.isEmpty() || pipeline.get(0).size() != 1
            || !(pipeline.get(0).get("$match") instanceof Document match)) {
            return null;
        }
        String name = query.get("aggregate").toString();
        if (!(database.existingCollection(name) instanceof NarrowingCollection collection)) {
            return null;
        }
        List<Document> candidates;
        synchronized (collection) {
            candidates = collection.matchCandidates(match);
        }
        if (candidates == null) {
            return null;
        }
        Aggregation aggregation = Aggregation.fromPipeline(
            pipeline, resolver, (MongoDatabase) database, (MongoCollection<?>) collection, oplog);
        if (aggregation.isModifying()) {
            return null;
        }
        aggregation.validate(query);
        Document cursor = new Document();
        cursor.put("id", 0L);
        cursor.put("ns", database.namespace(name));
        cursor.put("firstBatch", aggregation.runStages(candidates.stream()));
        Document reply = new Document("cursor", cursor);
        reply.put("ok", 1.0);
        return reply;
    }

    /** What the commands answered here need from a database (protected there). */
    interface IsolatingDatabase<P> {
        void clearStatus(Channel channel);

        MongoCollection<P> collection(String name);

        /** The collection, or null when it does not exist (nothing is created). */
        MongoCollection<P> existingCollection(String name);

        String namespace(String collectionName);
    }

    /** A collection whose indexes can narrow an aggregation's leading {@code $match}. */
    interface NarrowingCollection {
        /** The documents an index picks for {@code query}, or null when none narrows it. */
        List<Document> matchCandidates(Document query);
    }

    static <P> List<Document> documentsAt(Iterable<P> positions, Function<P, Document> get) {
        List<Document> documents = new ArrayList<>();
        for (P position : positions) {
            Document document = get.apply(position);
            if (document != null) {
                documents.add(document);
            }
        }
        return documents;
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
            return answered(this, channel, command, query, databaseResolver, oplog,
                () -> super.handleCommand(channel, command, query, databaseResolver, oplog));
        }

        @Override
        public void clearStatus(Channel channel) {
            clearLastStatus(channel);
        }

        @Override
        public MongoCollection<Integer> collection(String name) {
            return resolveOrCreateCollection(name);
        }

        @Override
        public MongoCollection<Integer> existingCollection(String name) {
            return resolveCollection(name, false);
        }

        @Override
        public String namespace(String collectionName) {
            return getFullCollectionNamespace(collectionName);
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
                return answered(this, channel, command, query, databaseResolver, oplog,
                    () -> super.handleCommand(channel, command, query, databaseResolver, oplog));
            }

            @Override
            public void clearStatus(Channel channel) {
                clearLastStatus(channel);
            }

            @Override
            public MongoCollection<Object> collection(String name) {
                return resolveOrCreateCollection(name);
            }

            @Override
            public MongoCollection<Object> existingCollection(String name) {
                return resolveCollection(name, false);
            }

            @Override
            public String namespace(String collectionName) {
                return getFullCollectionNamespace(collectionName);
            }
        }
    }

    private static final class NarrowingMemoryCollection extends MemoryCollection implements NarrowingCollection {
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

        @Override
        public List<Document> matchCandidates(Document query) {
            Iterable<Integer> positions = IndexNarrowing.matchPositions(getIndexes(), query);
            return positions == null ? null : documentsAt(positions, this::getDocument);
        }
    }

    private static final class NarrowingH2Collection extends H2Collection implements NarrowingCollection {
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

        @Override
        public List<Document> matchCandidates(Document query) {
            Iterable<Object> positions = IndexNarrowing.matchPositions(getIndexes(), query);
            return positions == null ? null : documentsAt(positions, this::getDocument);
        }
    }

    private static void usage(String problem) {
        System.err.println("mongo-launcher: " + problem);
        System.err.println("usage: MongoLauncher --port N [--bind HOST] [--h2 FILE]");
        System.exit(2);
    }
}
