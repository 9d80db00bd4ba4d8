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
 * @param newestOf when more posts match than one search considers ({@code roundtable.search.candidates}), that number:
 *        the results come from that many newest matching posts only (older ones: add a word or a filter, such as
 *        {@code before:}); null when every matching post was considered
 */
public record SearchResults(String q, String words, String order, List<String> notices, List<SearchHit> results,
        String nextCursor, Integer newestOf) {
}
