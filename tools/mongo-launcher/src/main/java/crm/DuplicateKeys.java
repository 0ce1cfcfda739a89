package crm;

import java.util.List;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;

/**
 * Duplicate-key errors that name the key, as MongoDB's do.
 *
 * <p>Why: MongoDB answers a duplicate key (code 11000) with {@code keyPattern}, the
 * violated index's key ({@code {email: 1}}), beside the message; drivers hand it to
 * the application (PyMongo's {@code DuplicateKeyError.details["keyPattern"]}), which
 * tells the client which field is taken. mongo-java-server 1.47.0 gives only the
 * message, so the field had to be guessed from its text, and an e-mail such as
 * {@code phone.lover@x.com} was reported as a taken phone.
 *
 * <p>How: the message names the index ({@code ... index: NAME dup key: ...}, the
 * library's DuplicateKeyError); its keys are looked up among the collection's indexes.
 * A write command's {@code writeErrors} entries get the field added; a command that
 * fails as a whole (findAndModify) is answered here as the library's handler would
 * (MongoDatabaseHandler.errorResponse, 1.47.0), with the field added.
 */
final class DuplicateKeys {

    static final int DUPLICATE_KEY = 11000;
    private static final String INDEX_MARK = " index: ";
    private static final String KEY_MARK = " dup key: ";

    private DuplicateKeys() {
    }

    /** {@code reply} with {@code keyPattern} added to each duplicate-key write error. */
    static <P> Document described(MongoLauncher.IsolatingDatabase<P> database, String command, Document query,
                                  Document reply) {
        if (!(reply.get("writeErrors") instanceof List<?> errors)) {
            return reply;
        }
        for (Object entry : errors) {
            if (entry instanceof Document error && isDuplicateKey(error.get("code"))
                && !error.containsKey("keyPattern")) {
                Document pattern = keyPattern(database, command, query, String.valueOf(error.get("errmsg")));
                if (pattern != null) {
                    error.put("keyPattern", pattern);
                }
            }
        }
        return reply;
    }

    /** The reply to a command that failed as a whole with a duplicate key. */
    static <P> Document errorReply(MongoLauncher.IsolatingDatabase<P> database, String command, Document query,
                                   MongoServerError error) {
        String message = error.getMessageWithoutErrorCode();
        Document reply = new Document();
        reply.put("$err", message);
        reply.put("errmsg", message);
        reply.put("code", error.getCode());
        reply.putIfNotNull("codeName", error.getCodeName());
        reply.putIfNotNull("keyPattern", keyPattern(database, command, query, message));
        reply.put("ok", 0);
        return reply;
    }

    static boolean isDuplicateKey(Object code) {
        return code instanceof Number number && number.intValue() == DUPLICATE_KEY;
    }

    /** The key of the index the message names, or null when it cannot be found. */
    private static <P> Document keyPattern(MongoLauncher.IsolatingDatabase<P> database, String command, Document query,
                                           String message) {
        int start = message.indexOf(INDEX_MARK);
        int end = message.indexOf(KEY_MARK, start + 1);
        if (start < 0 || end < 0 || !(query.get(command) instanceof String name)) {
            return null;
        }
        String indexName = message.substring(start + INDEX_MARK.length(), end);
        MongoCollection<P> collection = database.existingCollection(name);
        if (collection == null) {
            return null;
        }
        for (Index<P> index : collection.getIndexes()) {
            if (index.getName().equals(indexName)) {
                Document pattern = new Document();
                for (IndexKey key : index.getKeys()) {
                    pattern.put(key.getKey(), key.isAscending() ? 1 : -1);
                }
                return pattern;
            }
        }
        return null;
    }

}
