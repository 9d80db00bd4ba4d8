package org.roundtable.search;

import java.util.List;

/**
 * A page of results, one per thread, best first (or newest first for {@code order:latest}).
 *
 * @param q the query as typed
 * @param words the words that were matched (null: filters only)
 * @param order "relevance" or "latest"
 * @param notices the parts of the query that were refused, and why: then nothing was searched
 * @param results up to {@link SearchService#PAGE_SIZE} threads
 * @param nextCursor pass as {@code cursor} for the next page; null on the last
 */
public record SearchResults(String q, String words, String order, List<String> notices, List<SearchHit> results,
        String nextCursor) {
}
