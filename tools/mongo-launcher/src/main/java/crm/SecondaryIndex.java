package crm;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.bson.Document;

/**
 * A non-unique index kept in memory: key values to the positions of the documents
 * holding them (one entry per array element, as MongoDB's multikey indexes).
 *
 * <p>Why: mongo-java-server 1.47.0 accepts non-unique indexes but ignores them
 * ({@code EmptyIndex}), so a timeline read by customer, a rollup count or the outbox
 * relay's search for pending documents scanned the whole collection under its lock,
 * and the server's CPU grew with the data. MongoDB answers those from the index.
 *
 * <p>It only ever yields candidates ({@link IndexNarrowing} matches the whole query
 * on them), for two shapes of query: a plain value for every key, and
 * {@code {key: {$exists: true}}} on a sparse single-key index. It is rebuilt from the
 * documents when a collection is opened, so the H2 backend needs nothing stored.
 *
 * <p>The library gets {@code sparse = true} for it whatever it was created with, as
 * for the {@code EmptyIndex} it replaces: a document it does not hold (a sparse index
 * skips documents without the keys) then needs no position from it on removal, and
 * the index's description stays what it was before.
 */
final class SecondaryIndex<P> extends Index<P> {

    private final boolean sparse;
    private final Map<KeyValue, Set<P>> positionsByKey = new HashMap<>();
    private final Map<P, Set<KeyValue>> keysByPosition = new HashMap<>();
    private final Map<Object, P> positionsById = new HashMap<>();

    SecondaryIndex(String name, List<IndexKey> keys, boolean sparse) {
        super(name, keys, true);
        this.sparse = sparse;
    }

    /** Positions that may match {@code query}, or null when this index cannot tell. */
    synchronized List<P> candidates(Document query) {
        List<String> keys = keys();
        if (sparse && keys.size() == 1 && isExistsTrue(query.get(keys.get(0)))) {
            return new ArrayList<>(keysByPosition.keySet());
        }
        Document values = new Document();
        for (String key : keys) {
            Object value = query.get(key);
            if (!IndexNarrowing.isPlainValue(value) || !putPath(values, key, value)) {
                return null;
            }
        }
        List<P> found = new ArrayList<>();
        for (KeyValue keyValue : getKeyValues(values)) {
            found.addAll(positionsByKey.getOrDefault(keyValue, Set.of()));
        }
        return found;
    }

    /**
     * Puts {@code value} at the dotted {@code path} of {@code target} as nested documents,
     * the shape a stored document has, so that it yields the same key values; false for a
     * path with an array position in it, which this index does not answer.
     */
    private static boolean putPath(Document target, String path, Object value) {
        int dot = path.indexOf('.');
        if (dot < 0) {
            target.put(path, value);
            return true;
        }
        String head = path.substring(0, dot);
        if (head.chars().allMatch(Character::isDigit)) {
            return false;
        }
        Document child = target.get(head) instanceof Document existing ? existing : new Document();
        target.put(head, child);
        return putPath(child, path.substring(dot + 1), value);
    }

    private static boolean isExistsTrue(Object condition) {
        return condition instanceof Document document
            && document.size() == 1
            && Boolean.TRUE.equals(document.get("$exists"));
    }

    private boolean holds(Document document) {
        return !sparse || keys().stream()
            .anyMatch(key -> !(Utils.getSubdocumentValue(document, key) instanceof Missing));
    }

    @Override
    public synchronized void add(Document document, P position, MongoCollection<P> collection) {
        if (!holds(document)) {
            return;
        }
        Set<KeyValue> keyValues = getKeyValues(document);
        for (KeyValue keyValue : keyValues) {
            positionsByKey.computeIfAbsent(keyValue, k -> new LinkedHashSet<>()).add(position);
        }
        keysByPosition.put(position, keyValues);
        positionsById.put(document.get("_id"), position);
    }

    @Override
    public synchronized P remove(Document document) {
        P position = positionsById.remove(document.get("_id"));
        if (position == null) {
            return null;
        }
        for (KeyValue keyValue : keysByPosition.remove(position)) {
            Set<P> positions = positionsByKey.get(keyValue);
            positions.remove(position);
            if (positions.isEmpty()) {
                positionsByKey.remove(keyValue);
            }
        }
        return position;
    }

    @Override
    public synchronized void updateInPlace(Document oldDocument, Document newDocument, P position,
                                           MongoCollection<P> collection) {
        if (holds(oldDocument) == holds(newDocument) && nullAwareEqualsKeys(oldDocument, newDocument)) {
            return;
        }
        P removed = remove(oldDocument);
        if (removed != null && !Objects.equals(removed, position)) {
            throw new IllegalStateException("index " + getName() + " held another position");
        }
        add(newDocument, position, collection);
    }

    @Override
    public P getPosition(Document document) {
        return null; // positions come from the unique indexes
    }

    @Override
    public void checkAdd(Document document, MongoCollection<P> collection) {
        // never a constraint
    }

    @Override
    public void checkUpdate(Document oldDocument, Document newDocument, MongoCollection<P> collection) {
        // never a constraint
    }

    @Override
    public boolean canHandle(Document query) {
        return false; // only through IndexNarrowing, which matches the whole query after it
    }

    @Override
    public Iterable<P> getPositions(Document query) {
        throw new UnsupportedOperationException("use candidates()");
    }

    @Override
    public synchronized long getCount() {
        return keysByPosition.size();
    }

    @Override
    public long getDataSize() {
        return 0;
    }

    @Override
    public synchronized void drop() {
        positionsByKey.clear();
        keysByPosition.clear();
        positionsById.clear();
    }
}
